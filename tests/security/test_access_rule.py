"""Regression tests for the access-rule findings of issue 11, and the rule's own contract.

- "Registering for the public open day grants full participant access": what an approved
  registration admits now depends on its type (`RegistrationType.grants_participant_access`).
- "Closed-group access survives cancellation": a membership counts only while its member
  holds an approved registration with participant access for the group's event.
"""

import importlib
from datetime import datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from documents.models import Document
from events.models import Session
from events.services import update_session
from participants.groups.selectors import cafe_seats_for, hosted_tables_for
from participants.groups.services.grouping import assignable_participants
from participants.groups.services.worldcafe import cafe_guests
from participants.models import Membership, Registration, RegistrationType
from participants.notifications import services as notifications
from participants.notifications.selectors import cafe_seats_by_participant, session_audiences
from participants.schedule.selectors import schedule_sessions
from participants.viewers import viewers_at_event
from sanjose.access import ANONYMOUS, Viewer, viewer_for
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    RoomFactory,
    SessionFactory,
    SessionSignupFactory,
    UserFactory,
    WorldCafeFactory,
    WorldCafeSeatFactory,
    WorldCafeTableFactory,
)
from tests.signin import sign_in_staff

from .conftest import DOCUMENTS, PEOPLE, ROLES, SEARCH_WORD, SESSIONS, ZONE

PUBLIC_SESSIONS = {"public", "public_monday"}
PARTICIPANT_SESSIONS = PUBLIC_SESSIONS | {"participants_tuesday", "participants"}


def words(world, names) -> set[str]:
    return {world.words[name] for name in names}


def feed_words(client, participant) -> set[str]:
    calendar = Calendar.from_ical(client.get(f"/calendar/{participant.calendar_token}.ics").content)
    return {str(event["SUMMARY"]).split()[0] for event in calendar.walk("VEVENT")}


def schedule_words(client) -> set[str]:
    schedule = client.get("/me/schedule/").context["schedule"]
    days = ([schedule.today] if schedule.today else []) + schedule.upcoming + schedule.past
    return {session.title_en.split()[0] for day in days for session in day.sessions}


# --- Finding: registering for the open day grants full participant access -----------------


def test_registering_for_the_open_day_through_the_form_opens_only_public_content(client, world):
    newcomer = ParticipantFactory(user=UserFactory(username="newcomer"))
    client.force_login(newcomer.user)

    response = client.post("/register/", {"type": world.open_day_type.pk})

    assert response.status_code == 302
    registration = Registration.objects.get(participant=newcomer)
    assert (registration.type, registration.status) == (world.open_day_type, "approved")
    library = client.get("/documents/").content.decode()
    assert "1 document" in library
    assert "Heron" in library
    assert "Iguana" not in library
    participant_doc = world.documents["participant_doc"]
    assert client.get(f"/documents/{participant_doc.pk}/").status_code == 404
    assert client.get(f"/documents/{participant_doc.pk}/download/en/").status_code == 404
    assert client.get(world.sessions["participants_tuesday"].get_absolute_url()).status_code == 404
    agenda = client.get("/agenda/").content.decode()
    assert "Closed meeting" not in agenda
    assert "Sala Monteverde" not in agenda  # the closed meetings' room: not even the slot
    assert "Jaguar" not in agenda
    assert feed_words(client, newcomer) == {"Quetzal"}
    assert schedule_words(client) == {"Quetzal"}
    me = client.get("/me/")
    assert [d.title_en for d in me.context["sections"]["documents"]] == ["Heron document"]
    assert "Iguana" not in me.content.decode()
    search = client.get("/documents/", {"q": SEARCH_WORD})
    assert {d.title_en for d in search.context["page"].object_list} == {"Heron document"}


def test_an_open_day_guest_is_a_guest_of_the_event_not_a_participant(world):
    viewer = viewer_for(world.users["guest"])

    assert viewer.approved_event_ids == frozenset()
    assert viewer.guest_event_ids == {world.event.pk}
    assert viewer.guest_day_ids == {world.tuesday.pk}
    assert viewer.group_ids == frozenset()
    assert not viewer.is_approved_for(world.event.pk)


def test_a_guest_sees_what_an_anonymous_visitor_sees(world):
    guest = viewer_for(world.users["guest"])

    assert set(Session.objects.visible_to(guest)) == set(Session.objects.visible_to(ANONYMOUS))
    assert set(Session.objects.listed_for(guest)) == set(Session.objects.visible_to(ANONYMOUS))
    assert set(Document.objects.visible_to(guest)) == {world.documents["public_doc"]}
    assert not world.documents["participant_doc"].can_download(guest)


def test_a_guests_schedule_holds_only_the_public_sessions_of_the_days_admitted(client, world):
    guest = world.people["guest"]
    world.login(client, "guest")

    assert feed_words(client, guest) == {"Quetzal"}
    assert schedule_words(client) == {"Quetzal"}


def test_a_guest_type_naming_no_day_admits_the_public_days(client, world):
    world.open_day_type.days.clear()
    world.login(client, "guest")

    assert viewer_for(world.users["guest"]).guest_day_ids == {world.tuesday.pk}
    assert feed_words(client, world.people["guest"]) == {"Quetzal"}


def test_a_guest_who_is_put_in_a_closed_group_gets_nothing_of_it(client, world):
    Membership.objects.create(participant=world.people["guest"], group=world.closed_group)
    world.login(client, "guest")

    assert viewer_for(world.users["guest"]).group_ids == frozenset()
    assert client.get(world.sessions["closed"].get_absolute_url()).status_code == 404
    assert client.get(f"/documents/{world.documents['group_doc'].pk}/").status_code == 404
    assert "Toucan" not in feed_words(client, world.people["guest"])
    assert "Armadillo" not in client.get("/me/").content.decode()


def test_ticking_participant_access_on_the_type_makes_its_guests_participants(client, world):
    RegistrationType.objects.filter(pk=world.open_day_type.pk).update(
        grants_participant_access=True
    )
    world.login(client, "guest")

    viewer = viewer_for(world.users["guest"])
    assert viewer.approved_event_ids == {world.event.pk}
    assert client.get(world.sessions["participants_tuesday"].get_absolute_url()).status_code == 200


def test_open_day_guests_are_neither_assigned_to_groups_nor_seated_at_the_world_cafe(world):
    cafe = WorldCafeFactory(session=world.sessions["participants_tuesday"])
    SessionFactory(event=world.event, day=world.tuesday, kind=Session.Kind.WORKING_GROUPS)

    assert world.people["guest"] not in assignable_participants(event=world.event)
    assert world.people["guest"] not in cafe_guests(cafe=cafe)
    assert world.people["participant"] in assignable_participants(event=world.event)
    assert world.people["participant"] in cafe_guests(cafe=cafe)


def test_a_world_cafe_seat_counts_only_for_a_participant_of_the_event(client, world):
    """A plan computed before someone cancelled (or seated by hand) keeps their seat row;
    it gives them no table anywhere, and the host does not expect them."""
    cafe = WorldCafeFactory(session=world.sessions["participants_tuesday"], rounds=1)
    cafe.published_at = cafe.session.starts_at - timedelta(days=1)
    cafe.save(update_fields=["published_at"])
    table = WorldCafeTableFactory(cafe=cafe, host=world.people["participant"], topic_en="Sloth")
    for who in ("participant", "member", "former_member", "guest"):
        WorldCafeSeatFactory(table=table, participant=world.people[who])

    seated = {
        who
        for who in PEOPLE
        if cafe_seats_for(participant=world.people[who], event_id=world.event.pk).exists()
    }
    by_email = cafe_seats_by_participant(session_ids=[cafe.session_id])
    hosted = hosted_tables_for(participant=world.people["participant"], event_id=world.event.pk)

    assert seated == {"participant", "member"}
    assert set(by_email) == {world.people["participant"].pk, world.people["member"].pk}
    assert [[g.pk for g in r.guests] for r in hosted[0].rounds] == [[world.people["member"].pk]]
    world.login(client, "former_member")
    assert "Sloth" not in client.get("/me/").content.decode()


# --- The emails follow the same rule --------------------------------------------------------


@pytest.fixture
def clock_at(monkeypatch):
    def move(moment: datetime) -> None:
        monkeypatch.setattr("sanjose.clock.now", lambda: moment)

    return move


def mails_to(who: str, kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(recipient=f"{who}@example.org", kind=kind))


def test_a_guests_daily_digest_holds_only_public_content(world, clock_at):
    clock_at(datetime(2024, 6, 3, 18, 5, tzinfo=ZONE))

    notifications.queue_daily_digests()

    [guest_digest] = mails_to("guest", notifications.DAILY_DIGEST)
    assert "Quetzal" in guest_digest.body_text
    for word in ("Jaguar", "Toucan", "Iguana", "Kinkajou", "Capybara", "Armadillo"):
        assert word not in guest_digest.body_text, word
        assert word not in guest_digest.body_html, word
    [participant_digest] = mails_to("participant", notifications.DAILY_DIGEST)
    assert "Jaguar" in participant_digest.body_text
    assert "Toucan" not in participant_digest.body_text


def test_a_guest_is_reminded_only_of_public_sessions_of_the_day(world, clock_at):
    for who in ("guest", "participant"):
        world.people[who].wants_session_reminders = True
        world.people[who].save()
    for name in ("public", "participants_tuesday"):
        session = world.sessions[name]
        session.starts_at = datetime(2024, 6, 4, 9, 30, tzinfo=ZONE)
        session.ends_at = session.starts_at + timedelta(minutes=50)
        session.save()
    clock_at(datetime(2024, 6, 4, 9, 20, tzinfo=ZONE))

    notifications.queue_session_reminders()

    assert {m.object_key for m in mails_to("guest", notifications.SESSION_REMINDER)} == {
        f"session:{world.sessions['public'].pk}"
    }
    assert len(mails_to("participant", notifications.SESSION_REMINDER)) == 2


def test_a_guest_gets_no_change_notice_for_a_participant_session(world, clock_at):
    start = datetime(2024, 6, 1, 12, 0, tzinfo=ZONE)
    clock_at(start)
    notifications.notify_schedule_changes()  # first sight: the starting point
    annex = RoomFactory(event=world.event, name="Annex")
    for name in ("public", "participants_tuesday"):
        update_session(session=world.sessions[name], room=annex)
    clock_at(start + timedelta(minutes=1))
    notifications.notify_schedule_changes()
    clock_at(start + timedelta(minutes=10))

    notifications.notify_schedule_changes()

    guest_keys = {m.object_key for m in mails_to("guest", notifications.SCHEDULE_CHANGE)}
    assert guest_keys == {f"session:{world.sessions['public'].pk}"}
    assert len(mails_to("participant", notifications.SCHEDULE_CHANGE)) == 2


def test_a_guest_is_not_told_of_new_participant_material(world, clock_at):
    clock_at(world.documents["participant_doc"].published_at + timedelta(minutes=5))

    notifications.notify_new_material()

    guest_keys = {m.object_key for m in mails_to("guest", notifications.NEW_MATERIAL)}
    assert guest_keys == {f"document:{world.documents['public_doc'].pk}"}
    participant_keys = {m.object_key for m in mails_to("participant", notifications.NEW_MATERIAL)}
    assert f"document:{world.documents['participant_doc'].pk}" in participant_keys
    assert f"document:{world.documents['group_doc'].pk}" not in participant_keys


# --- Finding: closed-group access survives cancellation --------------------------------------


def test_a_cancelled_member_loses_the_closed_group(client, world):
    former = world.people["former_member"]
    world.login(client, "former_member")

    assert viewer_for(world.users["former_member"]).group_ids == frozenset()
    assert client.get(world.sessions["closed"].get_absolute_url()).status_code == 404
    group_doc = world.documents["group_doc"]
    assert client.get(f"/documents/{group_doc.pk}/").status_code == 404
    assert client.get(f"/documents/{group_doc.pk}/download/en/").status_code == 404
    assert "Toucan" not in feed_words(client, former)
    assert "Toucan" not in schedule_words(client)
    assert "Kinkajou" not in client.get("/documents/").content.decode()
    me = client.get("/me/").content.decode()
    assert "Armadillo" not in me
    assert "Kinkajou" not in me


def test_cancelling_ends_group_access_at_the_next_request(client, world):
    world.login(client, "member")
    closed_page = world.sessions["closed"].get_absolute_url()
    assert client.get(closed_page).status_code == 200

    client.post("/me/cancel/", {"reason": "Plans changed"})

    assert Registration.objects.get(participant=world.people["member"]).status == "cancelled"
    assert client.get(closed_page).status_code == 404
    assert "Toucan" not in feed_words(client, world.people["member"])
    assert client.get(f"/documents/{world.documents['group_doc'].pk}/").status_code == 404


@pytest.mark.parametrize("status", ["submitted", "waitlisted", "declined", "cancelled"])
def test_a_membership_counts_only_with_an_approved_registration(world, status):
    Registration.objects.filter(participant=world.people["member"]).update(status=status)

    assert not Membership.objects.counting().filter(participant=world.people["member"]).exists()
    assert viewer_for(world.users["member"]).group_ids == frozenset()


def test_a_membership_does_not_count_on_an_approval_for_another_event(world):
    RegistrationFactory(
        participant=world.people["former_member"], event=EventFactory(), status="approved"
    )

    assert viewer_for(world.users["former_member"]).group_ids == frozenset()


def test_a_cancelled_member_gets_no_email_about_the_closed_meeting(world):
    audiences = session_audiences(
        event_id=world.event.pk,
        sessions=[world.sessions["closed"]],
        participant_ids=[p.pk for p in world.people.values() if p is not None],
    )

    assert audiences[world.sessions["closed"].pk] == {world.people["member"].pk}


# --- The rule's contract ------------------------------------------------------------------


def all_viewers(world) -> dict[str, Viewer]:
    return {who: viewer_for(world.users[who]) for who in ROLES}


# Whose schedule holds what in the world (by code word), with a workshop ("Peccary") that
# needs a sign-up: the participant has a seat, the member only a waiting-list place.
SCHEDULES = {
    "account": {"Quetzal", "Tapir"},
    "pending": {"Quetzal", "Tapir"},
    "participant": {"Quetzal", "Tapir", "Jaguar", "Ocelot", "Peccary"},
    "guest": {"Quetzal"},
    "member": {"Quetzal", "Tapir", "Jaguar", "Ocelot", "Toucan"},
    "former_member": {"Quetzal", "Tapir"},
    # Staff see every session; their schedule holds only their own groups' closed meetings.
    "staff": {"Quetzal", "Tapir", "Jaguar", "Ocelot"},
}


def test_who_gets_each_email_is_each_persons_schedule(world):
    workshop = SessionFactory(
        event=world.event, day=world.tuesday, title_en="Peccary workshop", signup_required=True
    )
    SessionSignupFactory(participant=world.people["participant"], session=workshop)
    SessionSignupFactory(
        participant=world.people["member"],
        session=workshop,
        status="waitlisted",
        waitlist_position=1,
    )
    people = {who: world.people[who] for who in PEOPLE}
    people["staff"] = ParticipantFactory(user=world.users["staff"])
    sessions = Session.objects.filter(event=world.event)
    words = {session.pk: session.title_en.split()[0] for session in sessions}

    audiences = session_audiences(
        event_id=world.event.pk,
        sessions=sessions,
        participant_ids=[p.pk for p in people.values()],
    )

    for who, person in people.items():
        viewer = viewer_for(person.user)
        mine = schedule_sessions(participant=person, viewer=viewer, event_id=world.event.pk)
        holding = {words[pk] for pk, audience in audiences.items() if person.pk in audience}
        assert holding == {words[pk] for pk in mine.values_list("pk", flat=True)}, who
        assert holding == SCHEDULES[who], who


def test_the_email_audience_takes_two_queries_whatever_the_crowd(world):
    workshop = SessionFactory(event=world.event, day=world.tuesday, signup_required=True)
    SessionSignupFactory(participant=world.people["participant"], session=workshop)
    sessions = list(Session.objects.filter(event=world.event))
    ids = [p.pk for p in world.people.values() if p is not None]
    viewers = viewers_at_event(event_id=world.event.pk, participant_ids=ids)

    with CaptureQueriesContext(connection) as queries:
        session_audiences(
            event_id=world.event.pk, sessions=sessions, participant_ids=ids, viewers=viewers
        )

    assert len(queries) == 2


def test_viewers_built_in_bulk_match_viewers_built_one_by_one(world):
    ids = [p.pk for p in world.people.values() if p is not None]

    bulk = viewers_at_event(event_id=world.event.pk, participant_ids=ids)

    for who in PEOPLE:
        person = world.people[who]
        assert bulk[person.pk] == viewer_for(person.user), who


def test_the_audience_key_tells_apart_what_viewers_may_see(world):
    keys = {who: viewer.audience_key() for who, viewer in all_viewers(world).items()}

    assert keys["anonymous"] == ("anonymous",)
    # The world's staff member is an organiser: staff-only documents too (participants/roles.py).
    assert keys["staff"] == ("staff", True)
    # Signed in without access: one audience, whatever the registration's state.
    assert keys["account"] == keys["pending"] == keys["former_member"]
    distinct = ["anonymous", "account", "guest", "participant", "member", "staff"]
    assert len({keys[who] for who in distinct}) == len(distinct)
    assert hash(keys["member"]) == hash(viewer_for(world.users["member"]).audience_key())
    assert all(
        viewer.sees_only_public
        for who, viewer in all_viewers(world).items()
        if who in {"anonymous", "account", "pending", "guest", "former_member"}
    )


def test_building_a_viewer_takes_three_queries_at_most(world):
    user = world.people["member"].user
    user.refresh_from_db()

    with CaptureQueriesContext(connection) as queries:
        viewer_for(user)
        viewer_for(user)  # cached on the user

    assert len(queries) <= 3


# --- The setting itself -------------------------------------------------------------------


def test_the_data_migration_keeps_invitation_types_and_makes_public_types_guest_only(db):
    migration = importlib.import_module(
        "participants.migrations.0005_registration_type_participant_access"
    )
    event = EventFactory()
    by_invitation = RegistrationTypeFactory(
        event=event, is_public=False, grants_participant_access=False
    )
    public = RegistrationTypeFactory(event=event, is_public=True, grants_participant_access=False)

    migration.grant_to_invitation_types(django_apps, None)

    by_invitation.refresh_from_db()
    public.refresh_from_db()
    assert (by_invitation.grants_participant_access, public.grants_participant_access) == (
        True,
        False,
    )


def test_a_new_type_grants_no_participant_access_until_staff_say_so(db):
    registration_type = RegistrationType.objects.create(
        event=EventFactory(), slug="new", name_en="New type"
    )

    assert registration_type.grants_participant_access is False


def test_the_demo_admits_participants_on_the_full_dialogue_and_guests_on_the_open_day(db):
    from participants.demo import build_registration_types

    full, open_day = build_registration_types(event=EventFactory())

    assert (full.grants_participant_access, open_day.grants_participant_access) == (True, False)


def test_staff_set_participant_access_on_the_type_in_the_admin(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x-pass-1234")
    sign_in_staff(client, admin)

    page = client.get(f"/admin/participants/registrationtype/{world.open_day_type.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="grants_participant_access"' in html
    assert "Leave it unticked for the open day" in html


def test_documents_and_sessions_of_the_world_cover_every_audience():
    assert {spec[2] for spec in SESSIONS.values()} == set(Session.Audience.values)
    assert {spec[1] for spec in DOCUMENTS.values()} == set(Document.Access.values)
