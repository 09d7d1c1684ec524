from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from events.models import Room, Session, SessionSpeaker
from events.services import (
    AGENDA_GENERATION_KEY,
    agenda_generation,
    cancel_session,
    create_session,
    save_room,
    update_session,
    validate_session,
)
from tests.factories import EventDayFactory, GroupFactory, RoomFactory, SpeakerFactory

ZONE = ZoneInfo("America/Costa_Rica")
pytestmark = pytest.mark.django_db


def at(hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2024, 6, 3, hour, minute, tzinfo=ZONE)


@pytest.fixture
def day():
    return EventDayFactory()


@pytest.fixture
def room(day):
    return RoomFactory(event=day.event, name="Sala Arenal")


def new_session(day, room, start="09:00", end="10:00", **fields):
    return create_session(
        event=day.event,
        day=day,
        room=room,
        starts_at=at(start),
        ends_at=at(end),
        title_en=fields.pop("title_en", "A session"),
        kind=Session.Kind.PLENARY,
        **fields,
    )


def test_create_refuses_an_end_before_the_start(day, room):
    with pytest.raises(ValidationError) as error:
        new_session(day, room, start="10:00", end="09:30")

    assert error.value.message_dict == {"ends_at": ["A session must end after it starts."]}
    assert Session.objects.count() == 0


def test_create_refuses_a_room_booked_at_an_overlapping_time(day, room):
    new_session(day, room, start="09:00", end="10:30", title_en="Opening plenary")

    with pytest.raises(ValidationError) as error:
        new_session(day, room, start="10:00", end="11:00")

    assert error.value.message_dict == {
        "room": [
            "Sala Arenal is already booked from Mon 3 Jun 09:00 to 10:30 for “Opening plenary”."
        ]
    }
    assert Session.objects.count() == 1


def test_back_to_back_sessions_other_rooms_and_cancelled_bookings_do_not_clash(day, room):
    first = new_session(day, room, start="09:00", end="10:00")
    new_session(day, room, start="10:00", end="11:00")
    new_session(day, RoomFactory(event=day.event), start="09:00", end="10:00")
    cancel_session(session=first)

    new_session(day, room, start="09:30", end="10:00")

    assert Session.objects.count() == 4


def test_create_stores_speakers_in_order_with_their_roles(day, room):
    chair, guest = SpeakerFactory(event=day.event), SpeakerFactory(event=day.event)

    session = new_session(
        day,
        room,
        speakers=[(chair, SessionSpeaker.Role.MODERATOR), (guest, SessionSpeaker.Role.SPEAKER)],
    )

    rows = list(session.sessionspeaker_set.values_list("speaker", "role", "position"))
    assert rows == [(chair.pk, "moderator", 0), (guest.pk, "speaker", 1)]
    assert session.sequence == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": at("08:30")},
        {"ends_at": at("10:15")},
        {"title_en": "A new title"},
        {"title_es": "Un título nuevo"},
        {"is_cancelled": True},
    ],
)
def test_update_bumps_the_sequence_when_a_participant_sees_a_change(day, room, changes):
    session = new_session(day, room)

    update_session(session=session, **changes)

    session.refresh_from_db()
    assert session.sequence == 1


def test_moving_to_another_room_bumps_the_sequence_each_time(day, room):
    session = new_session(day, room)

    update_session(session=session, room=RoomFactory(event=day.event))
    update_session(session=session, room=room)

    session.refresh_from_db()
    assert session.sequence == 2


def test_update_keeps_the_sequence_for_unseen_changes(day, room):
    session = new_session(day, room)

    update_session(session=session, description_en="More detail", capacity=30)
    update_session(session=session, title_en="A session")

    session.refresh_from_db()
    assert (session.sequence, session.capacity) == (0, 30)


def test_update_refuses_a_move_into_a_booked_room_and_writes_nothing(day, room):
    new_session(day, room, start="09:00", end="10:00")
    other_room = RoomFactory(event=day.event)
    other = new_session(day, other_room, start="09:30", end="10:30")

    with pytest.raises(ValidationError):
        update_session(session=other, room=room, title_en="Moved")

    stored = Session.objects.get(pk=other.pk)
    assert (stored.room_id, stored.title_en, stored.sequence) == (other_room.pk, "A session", 0)


def test_cancel_marks_the_session_cancelled_and_bumps_the_sequence(day, room):
    session = new_session(day, room)

    cancel_session(session=session)

    session.refresh_from_db()
    assert (session.is_cancelled, session.sequence) == (True, 1)


def test_the_sequence_is_taken_from_the_stored_row_not_a_stale_copy(day, room):
    session = new_session(day, room)
    stale = Session.objects.get(pk=session.pk)
    update_session(session=session, title_en="First change")

    update_session(session=stale, title_en="Second change")

    stale.refresh_from_db()
    assert stale.sequence == 2


def test_the_cached_agenda_is_dropped_only_when_the_change_commits(
    day, room, django_capture_on_commit_callbacks
):
    before = agenda_generation()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session = new_session(day, room)
    assert cache.get(AGENDA_GENERATION_KEY) == before

    for callback in callbacks:
        callback()
    after = agenda_generation()
    assert after != before

    with django_capture_on_commit_callbacks(execute=True):
        update_session(session=session, description_en="Detail")
        save_room(room=room)
    assert agenda_generation() not in (before, after)


def working_groups_session(day, start="14:00", end="16:00"):
    return create_session(
        event=day.event,
        day=day,
        room=None,
        starts_at=at(start),
        ends_at=at(end),
        title_en="Working groups I",
        kind=Session.Kind.WORKING_GROUPS,
    )


def test_a_plenary_cannot_move_into_a_room_where_a_working_group_meets(day, room):
    GroupFactory(event=day.event, name="Travel and tourism", room=room)
    working_groups_session(day)
    plenary = new_session(day, RoomFactory(event=day.event), start="15:00", end="16:30")

    with pytest.raises(ValidationError) as error:
        update_session(session=plenary, room=room)

    assert error.value.message_dict == {
        "room": [
            "Sala Arenal is already booked from Mon 3 Jun 14:00 to 16:00 for “Working groups I”."
        ]
    }


def test_working_groups_cannot_be_laid_over_a_session_in_a_group_room(day, room):
    GroupFactory(event=day.event, room=RoomFactory(event=day.event, name="Sala Corcovado"))
    GroupFactory(event=day.event, room=room)
    new_session(day, room, start="13:00", end="14:30", title_en="Side event")

    with pytest.raises(ValidationError) as error:
        working_groups_session(day)

    assert "Sala Arenal is already booked" in error.value.message_dict["room"][0]


def test_group_rooms_book_nothing_outside_working_group_time_or_for_closed_groups(day, room):
    GroupFactory(event=day.event, room=room)
    GroupFactory(event=day.event, kind="closed", room=RoomFactory(event=day.event, name="Sala 2"))
    working_groups_session(day)

    new_session(day, room, start="16:00", end="17:00")
    new_session(day, Room.objects.get(name="Sala 2"), start="14:30", end="15:00")

    assert Session.objects.count() == 3


def test_a_description_edit_keeps_the_notice_sequence_but_bumps_the_feed_sequence(day, room):
    session = new_session(day, room)

    update_session(session=session, description_es="Más detalle")
    update_session(session=session, description_en="More detail")

    session.refresh_from_db()
    assert (session.sequence, session.feed_sequence) == (0, 2)
    update_session(session=session, title_en="New title")
    session.refresh_from_db()
    assert (session.sequence, session.feed_sequence) == (1, 3)


# --- The rules of a session, for every writer (not only the admin's form) -------------------


def test_a_session_on_a_day_or_in_a_room_of_another_event_is_refused(day, room):
    elsewhere = EventDayFactory()
    other_room = RoomFactory(event=elsewhere.event, name="Elsewhere")

    with pytest.raises(ValidationError) as on_day:
        create_session(
            event=elsewhere.event,
            day=day,
            room=other_room,
            starts_at=at("09:00"),
            ends_at=at("10:00"),
            title_en="Misfiled",
        )
    with pytest.raises(ValidationError) as in_room:
        update_session(session=new_session(day, room), room=other_room)

    assert on_day.value.message_dict == {"day": ["This day belongs to another event."]}
    assert in_room.value.message_dict == {"room": ["This room belongs to another event."]}
    assert Session.objects.get().room == room


def test_validate_session_refuses_a_capacity_below_the_seats_taken(day, room):
    session = new_session(day, room, signup_required=True, capacity=10)
    Session.objects.filter(pk=session.pk).update(signup_count=4)

    with pytest.raises(ValidationError) as refused:
        validate_session(
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            room=room,
            session_pk=session.pk,
            event_id=day.event_id,
            day=day,
            capacity=3,
        )
    validate_session(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        room=room,
        session_pk=session.pk,
        event_id=day.event_id,
        day=day,
        capacity=4,
    )

    assert refused.value.message_dict == {
        "capacity": ["4 people already have a seat: the capacity cannot be lower."]
    }
