"""Read queries about session sign-ups: a person's sign-up, its rank, clashes, the lists."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from events.models import Event, Session
from participants.models import Participant, SessionSignup
from participants.schedule.selectors import schedule_sessions
from sanjose import clock
from sanjose.access import Viewer

Status = SessionSignup.Status


def waitlist_rank(signup: SessionSignup) -> int | None:
    """1 for the first in line: the person's place among those still waiting."""
    if signup.status != Status.WAITLISTED:
        return None
    return SessionSignup.objects.filter(
        session_id=signup.session_id,
        status=Status.WAITLISTED,
        waitlist_position__lte=signup.waitlist_position,
    ).count()


def clashes_for(*, participant: Participant, viewer: Viewer, session: Session) -> list[Session]:
    """The person's other commitments at the session's time: sessions of their schedule
    (sign-ups, groups, what they attend) that overlap it and are not cancelled."""
    return list(
        schedule_sessions(participant=participant, viewer=viewer, event_id=session.event_id)
        .filter(is_cancelled=False, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at)
        .exclude(pk=session.pk)
    )


def signup_of(*, participant: Participant | None, session: Session) -> SessionSignup | None:
    if participant is None:
        return None
    return SessionSignup.objects.filter(participant=participant, session=session).first()


def open_signups_for(
    *, participant: Participant, viewer: Viewer, event: Event
) -> QuerySet[Session]:
    """Sessions of the event that take sign-ups now and the person may see, each with
    `my_status`, `my_position` and `my_rank` (None when not signed up); one query."""
    mine = SessionSignup.objects.filter(session_id=OuterRef("pk"), participant=participant)
    ahead = (
        SessionSignup.objects.filter(
            session_id=OuterRef("pk"),
            status=Status.WAITLISTED,
            waitlist_position__lte=Subquery(mine.values("waitlist_position")[:1]),
        )
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Session.objects.visible_to(viewer)
        .filter(event=event, signup_required=True, is_cancelled=False, ends_at__gt=clock.now())
        .select_related("room", "day")
        .annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_rank=Subquery(ahead[:1]),
        )
        .order_by("starts_at", "pk")
    )


def signup_counts(*, session: Session) -> dict[str, int]:
    """How many are confirmed and waiting (for staff)."""
    counts = SessionSignup.objects.filter(session=session).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    return counts
