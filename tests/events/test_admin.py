"""Staff build the agenda in the admin: validation next to the field, services behind it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from events.models import Session
from tests.signin import sign_in_staff

ZONE = ZoneInfo("America/Costa_Rica")


@pytest.fixture
def staff_client(client, world):
    world.users["staff"].is_superuser = True
    world.users["staff"].save()
    return sign_in_staff(client, world.users["staff"])


def session_form(session: Session, **changes) -> dict:
    data = {
        "event": session.event_id,
        "day": session.day_id,
        "starts_at_0": session.starts_at.astimezone(ZONE).strftime("%Y-%m-%d"),
        "starts_at_1": session.starts_at.astimezone(ZONE).strftime("%H:%M:%S"),
        "ends_at_0": session.ends_at.astimezone(ZONE).strftime("%Y-%m-%d"),
        "ends_at_1": session.ends_at.astimezone(ZONE).strftime("%H:%M:%S"),
        "room": session.room_id or "",
        "kind": session.kind,
        "title_en": session.title_en,
        "title_es": session.title_es,
        "description_en": "",
        "description_es": "",
        "audience": session.audience,
        "groups": [g.pk for g in session.groups.all()],
        "capacity": "",
        "sessionspeaker_set-TOTAL_FORMS": "0",
        "sessionspeaker_set-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_admin_edit_goes_through_the_service_and_bumps_the_sequence(staff_client, world):
    session = world.participants_only

    response = staff_client.post(
        f"/admin/events/session/{session.pk}/change/",
        session_form(session, title_en="Plenary, renamed"),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title_en, session.sequence) == ("Plenary, renamed", 1)


def test_admin_refuses_a_double_booked_room_next_to_the_field(staff_client, world):
    session = world.participants_only

    response = staff_client.post(
        f"/admin/events/session/{session.pk}/change/",
        session_form(session, starts_at_1="09:30:00"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["room"] == [
        "Sala Guanacaste is already booked from Mon 3 Jun 09:00 to 10:00 for "
        "“Open panel on tourism”."
    ]
    session.refresh_from_db()
    assert session.sequence == 0


def test_admin_refuses_an_end_before_the_start(staff_client, world):
    session = world.participants_only

    response = staff_client.post(
        f"/admin/events/session/{session.pk}/change/",
        session_form(session, ends_at_1="09:00:00"),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["ends_at"] == ["A session must end after it starts."]
    assert form.non_field_errors() == []


def test_admin_day_inline_refuses_two_new_rows_in_one_room_at_once(staff_client, world):
    day = world.public.day
    existing = list(day.sessions.order_by("pk"))
    data = {
        "event": day.event_id,
        "date": day.date.isoformat(),
        "title_en": day.title_en,
        "sessions-TOTAL_FORMS": str(len(existing) + 2),
        "sessions-INITIAL_FORMS": str(len(existing)),
    }
    for index, session in enumerate(existing):
        prefix = f"sessions-{index}-"
        data.update(
            {
                prefix + "id": session.pk,
                prefix + "day": day.pk,
                prefix + "starts_at_0": session.starts_at.astimezone(ZONE).strftime("%Y-%m-%d"),
                prefix + "starts_at_1": session.starts_at.astimezone(ZONE).strftime("%H:%M"),
                prefix + "ends_at_0": session.ends_at.astimezone(ZONE).strftime("%Y-%m-%d"),
                prefix + "ends_at_1": session.ends_at.astimezone(ZONE).strftime("%H:%M"),
                prefix + "room": session.room_id,
                prefix + "title_en": session.title_en,
                prefix + "kind": session.kind,
                prefix + "audience": session.audience,
            }
        )
    for index, title in [(len(existing), "Side event A"), (len(existing) + 1, "Side event B")]:
        prefix = f"sessions-{index}-"
        data.update(
            {
                prefix + "day": day.pk,
                prefix + "starts_at_0": "2024-06-03",
                prefix + "starts_at_1": "15:00",
                prefix + "ends_at_0": "2024-06-03",
                prefix + "ends_at_1": "16:00",
                prefix + "room": world.public.room_id,
                prefix + "title_en": title,
                prefix + "kind": Session.Kind.PANEL,
                prefix + "audience": Session.Audience.PARTICIPANTS,
            }
        )

    response = staff_client.post(f"/admin/events/eventday/{day.pk}/change/", data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "“Side event A” and “Side event B” both book Sala Guanacaste at the same time."
    ]
    assert not Session.objects.filter(title_en__startswith="Side event").exists()

    del data[f"sessions-{len(existing) + 1}-room"]
    response = staff_client.post(f"/admin/events/eventday/{day.pk}/change/", data)

    assert response.status_code == 302
    added = Session.objects.get(title_en="Side event A")
    assert (added.event_id, added.starts_at) == (
        day.event_id,
        datetime(2024, 6, 3, 15, 0, tzinfo=ZONE),
    )


def test_admin_cancel_action_cancels_through_the_service(staff_client, world):
    response = staff_client.post(
        "/admin/events/session/",
        {"action": "cancel_sessions", "_selected_action": [world.public.pk]},
    )

    assert response.status_code == 302
    world.public.refresh_from_db()
    assert (world.public.is_cancelled, world.public.sequence) == (True, 1)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/events/session/",
        "/admin/events/session/?kind__exact=plenary",
        "/admin/events/eventday/",
        "/admin/events/room/",
        "/admin/events/speaker/",
        "/admin/events/event/",
        "/admin/events/session/add/",
    ],
)
def test_admin_pages_open_for_staff(staff_client, url):
    assert staff_client.get(url).status_code == 200
