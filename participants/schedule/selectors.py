"""Which sessions belong in a person's schedule (used by /me/schedule/, feeds, digests)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from documents.models import Document
from documents.selectors import documents_for_sessions
from events.models import Event, Session
from events.selectors import for_cards, with_speaker_names
from participants.groups.selectors import cafe_seats_for
from participants.models import Group, Membership, Participant, SessionSignup
from sanjose.access import Viewer
from sanjose.clock import now


def viewer_schedule_sessions(*, viewer: Viewer, event_id: int) -> QuerySet[Session]:
    """The schedule rule for a kind of viewer, before anyone's sign-ups: the event's
    sessions the viewer may see (`Session.objects.visible_to`, the one rule), on a day
    their registration admits (every day for a participant, the admitted days for an
    open-day guest), and not for named groups unless they are in one of its groups (staff
    see every closed meeting, but only their own groups' are theirs). Both the personal
    schedule and the emails' audience (`session_audiences`) are this QuerySet."""
    if viewer.group_ids:
        in_my_group = Session.groups.through.objects.filter(
            session_id=OuterRef("pk"), group_id__in=viewer.group_ids
        )
        applies = ~Q(audience=Session.Audience.GROUPS) | Q(Exists(in_my_group))
    else:
        applies = ~Q(audience=Session.Audience.GROUPS)
    days = viewer.schedule_day_ids(event_id)
    if days is not None:
        applies &= Q(day_id__in=days)
    return Session.objects.visible_to(viewer).filter(event_id=event_id).filter(applies)


def schedule_sessions(
    *, participant: Participant, viewer: Viewer, event_id: int
) -> QuerySet[Session]:
    """The event's sessions that apply to this person, cancelled ones included (so the
    schedule can show them struck through): `viewer_schedule_sessions`, and of those
    needing a sign-up only the ones where they have a seat (not a place on its waiting
    list)."""
    signed_up = SessionSignup.objects.confirmed().filter(
        session_id=OuterRef("pk"), participant=participant
    )
    return (
        viewer_schedule_sessions(viewer=viewer, event_id=event_id)
        .filter(Q(signup_required=False) | Q(Exists(signed_up)))
        .select_related("room", "day")
        .order_by("starts_at", "room__position")
    )


@dataclass
class ScheduleDay:
    date: date
    title: str
    sessions: list[Session] = field(default_factory=list)


@dataclass
class PersonalSchedule:
    """A person's schedule as the page shows it: what is on now, the next session,
    today's sessions, then the coming days, then the days gone by."""

    working_group: Group | None
    current: list[Session]
    next_session: Session | None
    today: ScheduleDay | None
    upcoming: list[ScheduleDay]
    past: list[ScheduleDay]

    @property
    def next_is_today(self) -> bool:
        """Whether the next session is on today's list (then its time alone says when)."""
        return bool(self.today and self.next_session in self.today.sessions)

    @property
    def is_empty(self) -> bool:
        return not (self.today or self.upcoming or self.past)


def personal_schedule(
    *, participant: Participant, viewer: Viewer, event: Event
) -> PersonalSchedule:
    """The schedule page of one person: `schedule_sessions` with speakers, in three
    queries whatever its size, arranged around "now" (event time)."""
    sessions = with_speaker_names(
        for_cards(schedule_sessions(participant=participant, viewer=viewer, event_id=event.pk))
    )
    moment = now()
    today_date = moment.astimezone(event.zone).date()
    days: dict[date, ScheduleDay] = {}
    for session in sessions:
        day_date = session.starts_at.astimezone(event.zone).date()
        day = days.setdefault(day_date, ScheduleDay(date=day_date, title=session.day.title))
        day.sessions.append(session)
    attach_cafe_seats(sessions, participant=participant, event_id=event.pk)
    active = [s for s in sessions if not s.is_cancelled]
    return PersonalSchedule(
        working_group=working_group_of(participant=participant, event_id=event.pk),
        current=[s for s in active if s.starts_at <= moment < s.ends_at],
        next_session=next((s for s in active if s.starts_at > moment), None),
        today=days.get(today_date),
        upcoming=[day for day_date, day in days.items() if day_date > today_date],
        past=[day for day_date, day in days.items() if day_date < today_date],
    )


def feed_sessions(*, participant: Participant, viewer: Viewer, event: Event) -> list[Session]:
    """The personal calendar feed's sessions, each with where this person goes: a
    "working groups" session (no room of its own) gets the room of their working group as
    `feed_location` and the group's name in `feed_notes`; a World Café session gets their
    table in each round. Call it in the feed's language (the notes are translated)."""
    sessions = list(
        schedule_sessions(participant=participant, viewer=viewer, event_id=event.pk).select_related(
            "event"
        )
    )
    attach_cafe_seats(sessions, participant=participant, event_id=event.pk)
    group = working_group_of(participant=participant, event_id=event.pk)
    for session in sessions:
        session.feed_location, session.feed_notes = "", []
        if session.kind == Session.Kind.WORKING_GROUPS and group is not None:
            session.feed_notes.append(_("My working group: %(group)s") % {"group": group.name})
            if group.room is not None:
                session.feed_location = group.room.name
        for seat in session.my_cafe_seats:
            table = seat.table
            session.feed_notes.append(
                _("Round %(round)s: table %(table)s, %(topic)s")
                % {"round": seat.round_number, "table": table.number, "topic": table.topic}
            )
    return sessions


def attach_cafe_seats(sessions: list[Session], *, participant: Participant, event_id: int) -> None:
    """Give each World Café session `my_cafe_seats`: the person's table in each round of
    the published plan (one query for the whole schedule)."""
    by_session: dict[int, list] = {}
    for seat in cafe_seats_for(participant=participant, event_id=event_id):
        by_session.setdefault(seat.cafe.session_id, []).append(seat)
    for session in sessions:
        session.my_cafe_seats = by_session.get(session.pk, [])


def working_group_of(*, participant: Participant, event_id: int) -> Group | None:
    """The person's published working group at the event (its room shown on the
    "working groups" sessions, which have no room of their own), or None."""
    membership = (
        Membership.objects.counting()
        .filter(participant=participant, group__event_id=event_id, group__kind=Group.Kind.WORKING)
        .select_related("group__room")
        .first()
    )
    return membership.group if membership else None


def documents_of_my_sessions(
    *, participant: Participant, viewer: Viewer, event_id: int
) -> QuerySet[Document]:
    """For /me/: the documents of the sessions in my schedule (`schedule_sessions`, the
    one definition) that I may see, newest first."""
    sessions = schedule_sessions(participant=participant, viewer=viewer, event_id=event_id)
    return documents_for_sessions(viewer=viewer, sessions=sessions)
