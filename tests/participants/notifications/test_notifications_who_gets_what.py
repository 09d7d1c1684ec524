"""Who gets which notification: digests, reminders, change notices, new material."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.models import Session
from events.services import update_session
from participants.models import Group
from participants.notifications import services as notifications
from participants.notifications.selectors import session_audiences
from participants.schedule.selectors import schedule_sessions
from sanjose.access import Viewer
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventDayFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
)
from tests.factories.notifications import (
    SessionDocumentFactory,
    SessionSignupFactory,
    WorldCafeFactory,
    WorldCafeSeatFactory,
    approved_participant,
)

ZONE = ZoneInfo("America/Costa_Rica")
pytestmark = pytest.mark.django_db


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


@pytest.fixture
def clock_at(monkeypatch):
    """Move "now" (sanjose.clock.now) to a given moment."""

    def move(moment: datetime) -> None:
        monkeypatch.setattr("sanjose.clock.now", lambda: moment)

    return move


def sent(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind).order_by("recipient"))


@pytest.fixture
def programme():
    """Tuesday 4 June: a plenary, the working groups, two closed meetings, a sign-up
    workshop, a World Café; and one session on Wednesday."""
    event = EventFactory()
    tuesday = EventDayFactory(event=event, date=date(2024, 6, 4))
    wednesday = EventDayFactory(event=event, date=date(2024, 6, 5))
    hall = RoomFactory(event=event, name="Main Hall")
    working = GroupFactory(event=event, name="Group Tourism", is_published=True)
    closed = GroupFactory(event=event, name="Caribbean caucus", kind=Group.Kind.CLOSED)
    other_closed = GroupFactory(event=event, name="Donors", kind=Group.Kind.CLOSED)

    def session(title: str, hour: int, day=tuesday, **fields) -> Session:
        return SessionFactory(
            event=event,
            day=day,
            room=fields.pop("room", hall),
            title_en=title,
            starts_at=at(day.date, hour),
            ends_at=at(day.date, hour, 50),
            **fields,
        )

    sessions = {
        "plenary": session("Opening plenary", 9),
        "working_session": session(
            "Working group session", 10, audience="groups", kind="working_groups"
        ),
        "my_closed": session("Caucus meeting", 11, audience="groups", kind="closed_meeting"),
        "their_closed": session("Donor meeting", 11, audience="groups", kind="closed_meeting"),
        "workshop_mine": session("Workshop A", 14, signup_required=True),
        "workshop_theirs": session("Workshop B", 14, signup_required=True),
        "cafe": session("World Café", 15, kind="world_cafe"),
        "public": session("Open talk", 16, audience="public"),
        "wednesday": session("Wednesday plenary", 9, day=wednesday),
    }
    sessions["working_session"].groups.add(working)
    sessions["my_closed"].groups.add(closed)
    sessions["their_closed"].groups.add(other_closed)
    return {
        "event": event,
        "tuesday": tuesday,
        "wednesday": wednesday,
        "working": working,
        "closed": closed,
        "other_closed": other_closed,
        **sessions,
    }


def member(event, *groups, **fields):
    participant = approved_participant(event=event, **fields)
    for group in groups:
        MembershipFactory(participant=participant, group=group)
    return participant


def test_digest_lists_exactly_my_sessions_groups_and_tables(programme, clock_at):
    event = programme["event"]
    me = member(event, programme["working"], programme["closed"], badge_name="Delegate Example 1")
    SessionSignupFactory(participant=me, session=programme["workshop_mine"])
    cafe = WorldCafeFactory(session=programme["cafe"])
    WorldCafeSeatFactory(
        table__cafe=cafe, table__number=4, table__topic_en="Safe travel", participant=me
    )
    clock_at(at(date(2024, 6, 3), 18, 5))

    assert notifications.queue_daily_digests() == 1

    [digest] = sent("daily_digest")
    assert digest.recipient == me.user.email
    assert digest.object_key == f"day:{programme['tuesday'].pk}"
    listed = [
        title
        for title in [
            "Opening plenary",
            "Working group session",
            "Caucus meeting",
            "Donor meeting",
            "Workshop A",
            "Workshop B",
            "World Café",
            "Open talk",
            "Wednesday plenary",
        ]
        if title in digest.body_text
    ]
    assert listed == [
        "Opening plenary",
        "Working group session",
        "Caucus meeting",
        "Workshop A",
        "World Café",
        "Open talk",
    ]
    assert "09:00–09:50  Opening plenary" in digest.body_text
    assert "Room: Main Hall" in digest.body_text
    assert "Costa Rica time (UTC−6)" in digest.body_text
    assert "- Group Tourism (Working group)" in digest.body_text
    assert "- Caribbean caucus (Closed group)" in digest.body_text
    assert "Round 1: table 4, Safe travel" in digest.body_text
    assert "Caucus meeting" in digest.body_html
    assert "Donor meeting" not in digest.body_html
    assert digest.subject == "Your day tomorrow, Tuesday 4 June"


def test_digest_sessions_are_the_personal_schedule_of_the_day(programme, clock_at):
    event = programme["event"]
    people = [
        member(event),
        member(event, programme["working"]),
        member(event, programme["closed"], programme["other_closed"]),
        member(event, programme["working"], programme["closed"]),
    ]
    SessionSignupFactory(participant=people[0], session=programme["workshop_theirs"])
    SessionSignupFactory(participant=people[3], session=programme["workshop_mine"])
    day_sessions = list(Session.objects.filter(event=event))

    audiences = session_audiences(
        event_id=event.pk, sessions=day_sessions, participant_ids=[p.pk for p in people]
    )

    for person in people:
        viewer = Viewer(
            is_authenticated=True,
            participant_id=person.pk,
            approved_event_ids=frozenset({event.pk}),
            group_ids=frozenset(person.memberships.values_list("group_id", flat=True)),
        )
        expected = set(
            schedule_sessions(participant=person, viewer=viewer, event_id=event.pk).values_list(
                "pk", flat=True
            )
        )
        assert {pk for pk, audience in audiences.items() if person.pk in audience} == expected


def test_digest_is_due_from_18h_the_evening_before_and_queued_once(programme, clock_at):
    member(programme["event"])
    clock_at(at(date(2024, 6, 3), 17, 59))
    assert notifications.queue_daily_digests() == 0

    clock_at(at(date(2024, 6, 3), 18, 0))
    notifications.queue_daily_digests()
    clock_at(at(date(2024, 6, 3), 18, 5))
    notifications.queue_daily_digests()

    assert [m.object_key for m in sent("daily_digest")] == [f"day:{programme['tuesday'].pk}"]


def test_digest_speaks_the_participants_language(programme, clock_at):
    member(programme["event"], preferred_language="es")
    clock_at(at(date(2024, 6, 3), 18, 5))

    notifications.queue_daily_digests()

    [digest] = sent("daily_digest")
    assert digest.language == "es"
    assert programme["plenary"].title_es in digest.body_text
    assert "Opening plenary" not in digest.body_text
    assert "junio" in digest.subject


def test_opted_out_people_get_no_optional_email(programme, clock_at):
    event = programme["event"]
    keen = member(event, programme["closed"])
    member(  # opted out of everything optional
        event,
        programme["closed"],
        wants_daily_digest=False,
        wants_session_reminders=False,
        wants_schedule_changes=False,
        wants_new_material=False,
    )
    keen.wants_session_reminders = True
    keen.save()
    meeting = programme["my_closed"]
    SessionDocumentFactory(event=event, sessions=[meeting], published_at=at(date(2024, 6, 3), 12))

    clock_at(at(date(2024, 6, 3), 18, 5))
    notifications.queue_daily_digests()
    notifications.notify_new_material()
    notifications.notify_schedule_changes()
    Session.objects.filter(pk=meeting.pk).update(is_cancelled=True, sequence=1)
    clock_at(at(date(2024, 6, 4), 10, 50))
    notifications.notify_schedule_changes()
    clock_at(at(date(2024, 6, 4), 10, 55))
    notifications.notify_schedule_changes()
    Session.objects.filter(pk=meeting.pk).update(is_cancelled=False, sequence=2)
    clock_at(at(date(2024, 6, 4), 10, 46))
    notifications.queue_session_reminders()

    recipients = set(OutboxMessage.objects.values_list("recipient", flat=True))
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True))
    assert recipients == {keen.user.email}
    assert kinds == {"daily_digest", "new_material", "schedule_change", "session_reminder"}


def test_room_change_notifies_exactly_the_affected_people_once(programme, clock_at):
    event = programme["event"]
    caucus = [member(event, programme["closed"]) for _ in range(2)]
    member(event, programme["other_closed"])
    member(event)
    meeting = programme["my_closed"]
    start = at(date(2024, 6, 2), 10)
    clock_at(start)
    assert notifications.notify_schedule_changes() == 0  # first sight: the starting point

    annex = RoomFactory(event=event, name="Annex")
    update_session(session=meeting, room=annex)  # the agenda's write path bumps sequence
    clock_at(start + timedelta(minutes=1))
    assert notifications.notify_schedule_changes() == 0
    update_session(session=meeting, starts_at=at(date(2024, 6, 4), 11, 15))
    clock_at(start + timedelta(minutes=2))
    assert notifications.notify_schedule_changes() == 0  # still being edited
    clock_at(start + timedelta(minutes=6))
    assert notifications.notify_schedule_changes() == 2
    clock_at(start + timedelta(minutes=20))
    assert notifications.notify_schedule_changes() == 0

    notices = sent("schedule_change")
    assert sorted(m.recipient for m in notices) == sorted(p.user.email for p in caucus)
    assert {m.occasion for m in notices} == {"sequence:2"}
    assert "Room: Annex" in notices[0].body_text
    assert "11:15–11:50  Caucus meeting" in notices[0].body_text
    assert notices[0].subject == "Changed: Caucus meeting"


def test_cancellation_notice_says_cancelled(programme, clock_at):
    person = member(programme["event"])
    start = at(date(2024, 6, 2), 10)
    clock_at(start)
    notifications.notify_schedule_changes()
    Session.objects.filter(pk=programme["plenary"].pk).update(is_cancelled=True, sequence=1)
    clock_at(start + timedelta(minutes=1))
    notifications.notify_schedule_changes()
    clock_at(start + timedelta(minutes=5))
    notifications.notify_schedule_changes()

    [notice] = sent("schedule_change")
    assert notice.recipient == person.user.email
    assert notice.subject == "Cancelled: Opening plenary"
    assert "has been cancelled" in notice.body_text


def test_reminder_comes_at_the_chosen_minutes_before_and_once(programme, clock_at):
    event = programme["event"]
    early = member(event, wants_session_reminders=True, reminder_minutes_before=30)
    late = member(event, wants_session_reminders=True, reminder_minutes_before=5)
    member(event)  # reminders are opt-in
    plenary = programme["plenary"]  # 09:00 on Tuesday

    clock_at(at(date(2024, 6, 4), 8, 29))
    assert notifications.queue_session_reminders() == 0
    clock_at(at(date(2024, 6, 4), 8, 30))
    notifications.queue_session_reminders()
    clock_at(at(date(2024, 6, 4), 8, 56))
    notifications.queue_session_reminders()
    notifications.queue_session_reminders()

    reminders = OutboxMessage.objects.filter(kind="session_reminder").order_by("created_at")
    assert [(m.recipient, m.object_key) for m in reminders] == [
        (early.user.email, f"session:{plenary.pk}"),
        (late.user.email, f"session:{plenary.pk}"),
    ]
    assert reminders[0].subject == "At 09:00: Opening plenary"


def test_new_material_reaches_those_whose_schedule_holds_the_session_and_may_see_it(
    programme, clock_at
):
    event = programme["event"]
    caucus_member = member(event, programme["closed"])
    caucus_and_group = member(event, programme["closed"], programme["working"])
    outsider = member(event)
    published = at(date(2024, 6, 3), 12)
    caucus_notes = SessionDocumentFactory(
        event=event, sessions=[programme["my_closed"]], published_at=published
    )
    group_only = SessionDocumentFactory(
        event=event,
        sessions=[programme["plenary"]],
        access="groups",
        published_at=published,
    )
    group_only.groups.add(programme["working"])
    SessionDocumentFactory(
        event=event, sessions=[programme["plenary"]], access="staff", published_at=published
    )
    clock_at(at(date(2024, 6, 3), 12, 5))

    notifications.notify_new_material()
    notifications.notify_new_material()

    got = {(m.recipient, m.object_key) for m in sent("new_material")}
    assert got == {
        (caucus_member.user.email, f"document:{caucus_notes.pk}"),
        (caucus_and_group.user.email, f"document:{caucus_notes.pk}"),
        (caucus_and_group.user.email, f"document:{group_only.pk}"),
    }
    assert outsider.user.email not in {recipient for recipient, _key in got}


def test_digest_lists_new_documents_the_person_may_see(programme, clock_at):
    event = programme["event"]
    me = member(event)
    SessionDocumentFactory(
        event=event, title_en="Background report", published_at=at(date(2024, 6, 3), 9)
    )
    SessionDocumentFactory(
        event=event, title_en="Staff notes", access="staff", published_at=at(date(2024, 6, 3), 9)
    )
    clock_at(at(date(2024, 6, 3), 18, 5))

    notifications.queue_daily_digests()

    [digest] = sent("daily_digest")
    assert digest.recipient == me.user.email
    assert "Background report" in digest.body_text
    assert "Staff notes" not in digest.body_text


def test_people_without_an_approved_registration_get_no_digest(programme, clock_at):
    ParticipantFactory()
    clock_at(at(date(2024, 6, 3), 18, 5))

    assert notifications.queue_daily_digests() == 0


def test_the_documents_an_email_lists_are_the_libraries_for_every_kind_of_viewer():
    """DocumentsForViewers answers once per kind of viewer; for each person it must give
    what `Document.objects.visible_to` gives the library page, staff documents included."""
    from types import SimpleNamespace

    from documents.models import Document
    from participants.notifications.selectors import DocumentsForViewers
    from tests.factories import DocumentFactory

    event, other = EventFactory(), EventFactory()
    mine, theirs = GroupFactory(event=event), GroupFactory(event=event)
    for access in Document.Access:
        DocumentFactory(event=event, access=access)
    for group in (mine, theirs):
        DocumentFactory(event=event, access=Document.Access.GROUPS).groups.add(group)
    DocumentFactory(event=other, access=Document.Access.PARTICIPANTS)
    people = {
        1: Viewer(is_authenticated=True),
        2: Viewer(is_authenticated=True, approved_event_ids=frozenset({event.pk})),
        3: Viewer(is_authenticated=True, approved_event_ids=frozenset({event.pk, other.pk})),
        4: Viewer(
            is_authenticated=True,
            approved_event_ids=frozenset({event.pk}),
            group_ids=frozenset({mine.pk}),
        ),
        5: Viewer(is_authenticated=True, guest_event_ids=frozenset({event.pk})),
        6: Viewer(is_authenticated=True, is_staff=True),
        7: Viewer(is_authenticated=True, is_staff=True, can_see_staff_documents=True),
    }
    people = {pk: replace_person(viewer, pk) for pk, viewer in people.items()}
    documents = Document.objects.filter(event=event)
    listed = DocumentsForViewers(documents=documents, event_id=event.pk, viewers=people)

    for pk, viewer in people.items():
        expected = set(documents.visible_to(viewer))
        assert set(listed.for_participant(SimpleNamespace(pk=pk))) == expected, viewer


def replace_person(viewer: Viewer, participant_id: int) -> Viewer:
    from dataclasses import replace

    return replace(viewer, participant_id=participant_id, user_id=participant_id)
