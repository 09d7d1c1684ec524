"""Writes to the agenda: sessions, rooms, speakers and days.

Every change to a session goes through `save_session` (and its wrappers
`create_session`, `update_session`, `cancel_session`): it validates the times and the
room, and bumps `Session.sequence` whenever something a participant sees changed. The
iCalendar feeds send that number as SEQUENCE and the notifications detect schedule
changes by it, so admin edits go through here too. Each write drops the cached public
agenda once the transaction commits.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Event, EventDay, Room, Session, SessionSpeaker, Speaker

# What a participant sees of a session: a change to any of these is a schedule change.
SEEN_FIELDS = ("starts_at", "ends_at", "room_id", "title_en", "title_es", "is_cancelled")
# Shown in the calendar feeds but not notified: bump only the feed's SEQUENCE.
DESCRIPTION_FIELDS = ("description_en", "description_es")
AGENDA_GENERATION_KEY = "agenda:generation"


def validate_session(
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    room: Room | None,
    session_pk: int | None = None,
    is_cancelled: bool = False,
    event_id: int | None = None,
    kind: str | None = None,
    day: EventDay | None = None,
    capacity: int | None = None,
) -> None:
    """Raise a ValidationError (by field) if the session's day or room belongs to
    another event, its capacity is below the seats already taken, it ends before it
    starts, or a room it books is already booked at an overlapping time. Cancelled
    sessions book nothing. The admin's forms and `save_session` both ask this.

    A session books its own room; a "working groups" session (which has no room of its
    own) also books the room of each working group of its event, where the groups meet.
    """
    _check_belongs_to_event(event_id=event_id, day=day, room=room)
    _check_capacity(session_pk=session_pk, capacity=capacity)
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})
    if is_cancelled:
        return
    booked = {room.pk: room} if room is not None else {}
    if kind == Session.Kind.WORKING_GROUPS and event_id is not None:
        booked |= {r.pk: r for r in Room.objects.filter(pk__in=_group_room_ids(event_id))}
    if not booked:
        return
    clashes = (
        Session.objects.filter(is_cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .filter(
            Q(room_id__in=booked)
            | Q(kind=Session.Kind.WORKING_GROUPS, event__groups__room_id__in=booked)
        )
        .exclude(pk=session_pk)
        .select_related("event")
        .distinct()
        .order_by("starts_at", "pk")
    )
    for clash in clashes:
        taken = {clash.room_id} if clash.room_id else set()
        if clash.kind == Session.Kind.WORKING_GROUPS:
            taken |= _group_room_ids(clash.event_id)
        shared = sorted(taken & booked.keys())
        if shared:
            raise ValidationError({"room": _clash_message(booked[shared[0]], clash)})


def _check_belongs_to_event(*, event_id: int | None, day: EventDay | None, room) -> None:
    errors = {}
    if event_id is not None and day is not None and day.event_id != event_id:
        errors["day"] = _("This day belongs to another event.")
    if event_id is not None and room is not None and room.event_id != event_id:
        errors["room"] = _("This room belongs to another event.")
    if errors:
        raise ValidationError(errors)


def _check_capacity(*, session_pk: int | None, capacity: int | None) -> None:
    """Seats already taken stay taken: the capacity may not fall below them."""
    if session_pk is None or capacity is None:
        return
    taken = Session.objects.filter(pk=session_pk).values_list("signup_count", flat=True).first()
    if taken and capacity < taken:
        raise ValidationError(
            {
                "capacity": _("%(count)d people already have a seat: the capacity cannot be lower.")
                % {"count": taken}
            }
        )


def _group_room_ids(event_id: int) -> set[int]:
    """The rooms the event's working groups meet in (during "working groups" sessions)."""
    group = apps.get_model("participants", "Group")
    return set(
        group.objects.filter(
            event_id=event_id, kind=group.Kind.WORKING, room__isnull=False
        ).values_list("room_id", flat=True)
    )


def _clash_message(room: Room, clash: Session) -> str:
    zone = clash.event.zone
    return _("%(room)s is already booked from %(start)s to %(end)s for “%(title)s”.") % {
        "room": room.name,
        "start": date_format(clash.starts_at.astimezone(zone), "D j M H:i"),
        "end": date_format(clash.ends_at.astimezone(zone), "H:i"),
        "title": clash.title_en,
    }


@transaction.atomic
def save_session(
    *, session: Session, speakers: Iterable[tuple[Speaker, str]] | None = None
) -> Session:
    """Validate and save a new or changed session (the one write path for sessions).

    Bumps `sequence` when the time, room, title or cancellation changed since the stored
    version, and `description_revision` when a description did (the feeds send the sum);
    replaces its speakers when `speakers` (speaker, role) pairs are given; drops the
    cached agenda on commit. Sends nothing itself: the notifications watch `sequence`.
    A raised capacity of a sign-up session promotes from its waiting list (who moves up
    is emailed); a capacity below the seats taken is refused.
    """
    stored = None
    if session.pk is not None:
        # Locked first, so the seats counted by the validation cannot change meanwhile.
        stored = Session.objects.select_for_update().get(pk=session.pk)
    validate_session(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        room=session.room,
        session_pk=session.pk,
        is_cancelled=session.is_cancelled,
        event_id=session.event_id,
        kind=session.kind,
        day=session.day,
        capacity=session.capacity,
    )
    if stored is not None:
        # The seat counters belong to the sign-up services: never the editor's stale copy.
        session.signup_count = stored.signup_count
        session.last_signup_waitlist_position = stored.last_signup_waitlist_position
        session.sequence = stored.sequence
        session.description_revision = stored.description_revision
        if any(getattr(stored, f) != getattr(session, f) for f in SEEN_FIELDS):
            session.sequence = stored.sequence + 1
        if any(getattr(stored, f) != getattr(session, f) for f in DESCRIPTION_FIELDS):
            session.description_revision = stored.description_revision + 1
    session.save()
    if speakers is not None:
        session.sessionspeaker_set.all().delete()
        SessionSpeaker.objects.bulk_create(
            SessionSpeaker(session=session, speaker=speaker, role=role, position=position)
            for position, (speaker, role) in enumerate(speakers)
        )
    if stored is not None and session.signup_required and _more_seats(stored, session):
        # A raised capacity moves the waiting list up (lazy import: participants depends
        # on events, not the other way round).
        from participants.signups.services import fill_session_waitlist

        fill_session_waitlist(session=session)
    agenda_changed()
    return session


def _more_seats(stored: Session, session: Session) -> bool:
    if session.capacity is None:
        return stored.capacity is not None
    return stored.capacity is not None and session.capacity > stored.capacity


def create_session(*, speakers: Iterable[tuple[Speaker, str]] | None = None, **fields) -> Session:
    """Create a session from model fields (event, day, room, starts_at, ends_at, ...)."""
    return save_session(session=Session(**fields), speakers=speakers)


def update_session(
    *, session: Session, speakers: Iterable[tuple[Speaker, str]] | None = None, **changes
) -> Session:
    """Apply field changes to a session and save it (bumping `sequence` if seen)."""
    for name, value in changes.items():
        setattr(session, name, value)
    return save_session(session=session, speakers=speakers)


def cancel_session(*, session: Session) -> Session:
    """Mark the session cancelled: it stays listed, struck through, and the feeds send
    STATUS:CANCELLED with a higher SEQUENCE so calendars update the entry."""
    return update_session(session=session, is_cancelled=True)


@transaction.atomic
def delete_session(*, session: Session) -> None:
    """Delete a session outright (a mistake, never held); prefer `cancel_session` for a
    session people may already have in their calendars."""
    session.delete()
    agenda_changed()


@transaction.atomic
def save_room(*, room: Room) -> Room:
    """Save a room; the agenda shows its name, so the cached agenda is dropped."""
    room.save()
    agenda_changed()
    return room


@transaction.atomic
def save_speaker(*, speaker: Speaker) -> Speaker:
    """Save a speaker; the agenda lists speakers, so the cached agenda is dropped."""
    speaker.save()
    agenda_changed()
    return speaker


@transaction.atomic
def save_day(*, day: EventDay) -> EventDay:
    """Save an event day (title, theme, whether public); drops the cached agenda."""
    day.save()
    agenda_changed()
    return day


@transaction.atomic
def save_event(*, event: Event) -> Event:
    """Save an event; drops the cached agenda (its name and dates head the page)."""
    event.save()
    agenda_changed()
    return event


@transaction.atomic
def delete_agenda_object(*, obj: Event | EventDay | Room | Speaker) -> None:
    """Delete an event, day, room or speaker and drop the cached agenda."""
    obj.delete()
    agenda_changed()


def agenda_changed() -> None:
    """Drop every cached agenda once the current transaction commits (never before, so
    a concurrent reader cannot re-cache the old programme)."""
    transaction.on_commit(_new_generation)


def agenda_generation() -> str:
    """The current generation of the cached agenda; part of every agenda cache key."""
    generation = cache.get(AGENDA_GENERATION_KEY)
    if generation is None:
        generation = _new_generation()
    return generation


def _new_generation() -> str:
    generation = uuid.uuid4().hex
    cache.set(AGENDA_GENERATION_KEY, generation, timeout=None)
    return generation
