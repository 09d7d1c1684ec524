"""Read queries for what is the same for everyone: the event, its agenda, its sessions."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from sanjose.access import ANONYMOUS, Viewer

from .models import Event, EventDay, Session, SessionSpeaker, Speaker


def current_time_zone() -> str | None:
    """The current event's time zone name (None without a current event), for
    sanjose/eventzone.py: read off `Event.objects.current()`, which every page loads anyway."""
    event = Event.objects.current()
    return event.time_zone if event else None


@dataclass
class AgendaBlock:
    """Sessions that run at the same time, shown side by side on a wide screen."""

    starts_at: datetime
    ends_at: datetime
    sessions: list[Session] = field(default_factory=list)


@dataclass
class AgendaDay:
    day: EventDay
    blocks: list[AgendaBlock] = field(default_factory=list)

    @property
    def session_count(self) -> int:
        return sum(len(block.sessions) for block in self.blocks)


def with_speakers(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Room, day and speakers (in order, with their role) in two queries whatever the size."""
    return sessions.select_related("room", "day").prefetch_related(
        Prefetch(
            "sessionspeaker_set",
            queryset=SessionSpeaker.objects.select_related("speaker").order_by("position", "pk"),
            to_attr="speaker_roles",
        )
    )


def for_cards(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions as lists show them (`{% session_card %}`): room and day, without the
    descriptions only a session's own page needs. Speakers: `with_speaker_names`."""
    return sessions.select_related("room", "day").defer("description_en", "description_es")


@dataclass(frozen=True)
class SpeakerName:
    name: str
    is_moderator: bool


def with_speaker_names(sessions: Iterable[Session]) -> list[Session]:
    """The sessions, each with `speaker_names` in order, in one query for all. A list of
    300 sessions has some 600 speaker rows: names alone, not two model instances each."""
    sessions = list(sessions)
    rows = (
        SessionSpeaker.objects.filter(session_id__in=[session.pk for session in sessions])
        .order_by("position", "pk")
        .values_list("session_id", "speaker__name", "role")
    )
    names: dict[int, list[SpeakerName]] = {}
    for session_id, name, role in rows:
        speaker = SpeakerName(name=name, is_moderator=role == SessionSpeaker.Role.MODERATOR)
        names.setdefault(session_id, []).append(speaker)
    for session in sessions:
        session.speaker_names = names.get(session.pk, [])
    return sessions


def agenda_sessions(*, event: Event, viewer: Viewer) -> QuerySet[Session]:
    """What the agenda lists for this viewer, each session annotated `is_visible`: False
    for a closed meeting the viewer sees only as a "Closed meeting" slot."""
    visible = Session.objects.visible_to(viewer).filter(pk=OuterRef("pk"))
    return for_cards(
        Session.objects.listed_for(viewer)
        .filter(event=event)
        .annotate(is_visible=Exists(visible))
        .order_by("starts_at", "room__position", "pk")
    )


def agenda_days(*, event: Event, viewer: Viewer) -> list[AgendaDay]:
    """The event's days, each with its listed sessions in blocks of parallel sessions."""
    days = {day.pk: AgendaDay(day=day) for day in event.days.order_by("date")}
    for session in with_speaker_names(agenda_sessions(event=event, viewer=viewer)):
        if session.day_id in days:
            add_to_blocks(days[session.day_id].blocks, session)
    return list(days.values())


def add_to_blocks(blocks: list[AgendaBlock], session: Session) -> None:
    """Append a session (given in start order) to the block it overlaps, or a new one."""
    if blocks and session.starts_at < blocks[-1].ends_at:
        block = blocks[-1]
        block.ends_at = max(block.ends_at, session.ends_at)
    else:
        block = AgendaBlock(starts_at=session.starts_at, ends_at=session.ends_at)
        blocks.append(block)
    block.sessions.append(session)


def session_for_page(*, pk: int, viewer: Viewer) -> Session | None:
    """One session the viewer may see in full, with room, day and speakers; else None."""
    return with_speakers(Session.objects.visible_to(viewer).filter(pk=pk)).first()


def open_day_programme(*, event: Event) -> tuple[list[EventDay], list[Session]]:
    """The public days of the event and their public sessions (what anyone may see)."""
    days = list(event.days.filter(is_public=True).order_by("date"))
    sessions = for_cards(
        Session.objects.visible_to(ANONYMOUS)
        .filter(event=event, day__in=days)
        .order_by("starts_at", "room__position", "pk")
    )
    return days, with_speaker_names(sessions)


def public_feed_sessions(*, event: Event) -> QuerySet[Session]:
    """Sessions of the public calendar feed: what an anonymous visitor may see, cancelled
    ones included so that subscribed calendars learn of the cancellation."""
    return (
        Session.objects.visible_to(ANONYMOUS)
        .filter(event=event)
        .select_related("room", "event")
        .order_by("starts_at", "pk")
    )


def speakers_for_agenda(*, event: Event, viewer: Viewer) -> QuerySet[Speaker]:
    """The event's speakers the viewer may know of (of a session they may see), by name."""
    return Speaker.objects.visible_to(viewer).filter(event=event).order_by("name", "pk")


def speaker_for_page(*, pk: int, viewer: Viewer) -> Speaker | None:
    """One speaker the viewer may know of, else None."""
    return Speaker.objects.visible_to(viewer).select_related("event").filter(pk=pk).first()


def speaker_sessions(*, speaker: Speaker, viewer: Viewer) -> QuerySet[SessionSpeaker]:
    """The speaker's part in each session the viewer may see (the session with its room
    and day, and the speaker's role), in time order; nothing of the sessions they may not."""
    visible = Session.objects.visible_to(viewer).values("pk")
    return (
        SessionSpeaker.objects.filter(speaker=speaker, session_id__in=visible)
        .select_related("session__room", "session__day")
        .order_by("session__starts_at", "session__pk")
    )
