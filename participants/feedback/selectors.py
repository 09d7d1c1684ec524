"""Who may evaluate what, what they answered, and the results organisers read."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from events.models import Event, Session
from participants.desk.selectors.dashboard import Chart, _chart
from participants.desk.selectors.exports import Listing, _event_moment
from participants.models import (
    CheckIn,
    FeedbackAnswer,
    FeedbackReceipt,
    Participant,
    Registration,
    SessionSignup,
)
from sanjose import clock
from sanjose.access import Viewer
from sanjose.i18n import translated_value

RATINGS = [1, 2, 3, 4, 5]


def feedback_closes_at(event: Event) -> datetime:
    """Feedback stays open until midnight (event time) FEEDBACK_OPEN_DAYS after the last day."""
    last = event.end_date + timedelta(days=settings.FEEDBACK_OPEN_DAYS + 1)
    return datetime.combine(last, time(0, 0), tzinfo=event.zone)


def feedback_is_open(event: Event, *, now: datetime | None = None) -> bool:
    return (now or clock.now()) < feedback_closes_at(event)


def _approved(participant: Participant, event: Event) -> QuerySet[Registration]:
    return Registration.objects.approved_for(event).filter(participant=participant)


def attended_sessions(*, participant: Participant, event: Event, viewer: Viewer) -> QuerySet:
    """The event's sessions the person may evaluate: begun, not cancelled, not a break
    (coffee and lunch are not evaluated), visible to them, and attended (checked in on the
    session's day, or a confirmed seat in it)."""
    checked_in = CheckIn.objects.filter(
        registration__in=_approved(participant, event), day=OuterRef("day__date")
    )
    seated = SessionSignup.objects.confirmed().filter(
        participant=participant, session_id=OuterRef("pk")
    )
    return (
        Session.objects.visible_to(viewer)
        .active()
        .filter(event=event, starts_at__lte=clock.now())
        .exclude(kind=Session.Kind.BREAK)
        .filter(Exists(checked_in) | Exists(seated))
        .filter(Exists(_approved(participant, event)))
        .select_related("day", "room")
        .order_by("starts_at", "pk")
    )


def attended_event(*, participant: Participant, event: Event) -> bool:
    """Whether the person came to the event: checked in on a day, or a confirmed seat."""
    approved = _approved(participant, event)
    return approved.exists() and (
        CheckIn.objects.filter(registration__in=approved).exists()
        or SessionSignup.objects.confirmed()
        .filter(participant=participant, session__event=event, session__is_cancelled=False)
        .exists()
    )


@dataclass(frozen=True)
class Evaluation:
    """One evaluation the person may give: a session (None: the whole event)."""

    event: Event
    session: Session | None
    answered: bool
    answer: FeedbackAnswer | None  # their named answer, which they may edit

    @property
    def editable(self) -> bool:
        return feedback_is_open(self.event) and (not self.answered or self.answer is not None)


def my_evaluations(*, participant: Participant, event: Event, viewer: Viewer) -> list[Evaluation]:
    """The whole event first (when the person came), then each attended session; three
    queries whatever the programme."""
    sessions = list(attended_sessions(participant=participant, event=event, viewer=viewer))
    came = bool(sessions) or attended_event(participant=participant, event=event)
    answered = set(
        FeedbackReceipt.objects.filter(participant=participant, event=event).values_list(
            "session_id", flat=True
        )
    )
    named = {
        a.session_id: a for a in FeedbackAnswer.objects.filter(participant=participant, event=event)
    }
    targets = ([None] if came else []) + sessions
    return [
        Evaluation(
            event=event,
            session=session,
            answered=(session.pk if session else None) in answered,
            answer=named.get(session.pk if session else None),
        )
        for session in targets
    ]


@dataclass(frozen=True)
class SessionResult:
    session: Session | None
    count: int
    average: float | None
    chart: Chart


def feedback_results(*, event: Event) -> list[SessionResult]:
    """The whole event, then every session with answers: how many, the average, and the
    ratings as a chart. Two queries whatever the number of sessions and answers."""
    counts: dict[int | None, dict[int, int]] = {}
    rows = (
        FeedbackAnswer.objects.filter(event=event)
        .values("session_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["session_id"], {})[row["rating"]] = row["n"]
    sessions = Session.objects.filter(pk__in=[k for k in counts if k]).order_by("starts_at", "pk")
    return [
        _result(session, counts.get(session.pk if session else None, {}))
        for session in [None, *sessions]
        if session is not None or None in counts
    ]


def _result(session: Session | None, by_rating: dict[int, int]) -> SessionResult:
    count = sum(by_rating.values())
    average = sum(r * n for r, n in by_rating.items()) / count if count else None
    key = f"feedback-{session.pk if session else 'event'}"
    title = session.title if session else _("The whole event")
    chart = _chart(key, title, [(f"{r} ★", by_rating.get(r, 0)) for r in reversed(RATINGS)])
    return SessionResult(session=session, count=count, average=average, chart=chart)


def feedback_listing(*, event_id: int | None) -> Listing:
    """Every answer of the event (the whole event first, then by session): the rating, the
    comment, its language, and the name only of those who chose to give it."""
    queryset = (
        FeedbackAnswer.objects.filter(event_id=event_id)
        .annotate(session_title=translated_value("session__title"))
        .order_by(F("session__starts_at").asc(nulls_first=True), "session_id", "-rating", "id")
        .values_list(
            "session_title",
            "session__starts_at",
            "rating",
            "comment",
            "language",
            "participant__badge_name",
        )
    )
    whole_event = str(_("The whole event"))
    return Listing(
        kind="feedback",
        headers=[
            str(label)
            for label in [
                _("Session"),
                _("Starts"),
                _("Rating"),
                _("Comment"),
                _("Language"),
                _("Name"),
            ]
        ],
        queryset=queryset,
        render_row=lambda v: [
            v[0] or whole_event,
            _event_moment(v[1]),
            v[2],
            v[3],
            v[4],
            v[5] or "",
        ],
        filters={"event": str(event_id)},
    )
