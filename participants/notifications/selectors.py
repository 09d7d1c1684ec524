"""Who gets which notification: the read side of reminders, digests and notices.

Everything here works on many people at once, in a fixed number of queries, so a digest
for thousands of participants does not cost a query per person. `session_audiences` is
the personal schedule's own QuerySet (`schedule.viewer_schedule_sessions`) read the other
way round: for each session, whose schedule holds it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from documents.models import Document
from events.models import Session
from participants.models import (
    Group,
    Membership,
    Participant,
    Registration,
    SessionSignup,
    WorldCafeSeat,
)
from participants.schedule.selectors import viewer_schedule_sessions
from participants.viewers import viewers_at_event
from sanjose.access import Viewer


def notified_participants(*, event_id: int, wants: str | None = None) -> QuerySet[Participant]:
    """Participants approved for the event (with their user), open-day guests included
    (what each may be told of is decided by their `Viewer`), optionally only those who
    opted in to `wants` (a Participant boolean field such as "wants_daily_digest")."""
    participants = (
        Participant.objects.filter(
            pk__in=Registration.objects.approved_for(event_id).values("participant_id")
        )
        .exclude(user__email="")
        .select_related("user")
    )
    if wants:
        participants = participants.filter(**{wants: True})
    return participants.order_by("pk")


def session_audiences(
    *,
    event_id: int,
    sessions: Iterable[Session],
    participant_ids: Iterable[int],
    viewers: dict[int, Viewer] | None = None,
) -> dict[int, set[int]]:
    """For each session, which of these participants have it in their schedule.

    The personal schedule's QuerySet (`viewer_schedule_sessions`, built on `visible_to`)
    asked once per kind of viewer (the same rights, groups and days: a viewer without
    its person), all kinds in one query, then the sign-up condition of `schedule_sessions`
    from the confirmed sign-ups. Two queries whatever the number of people (viewers
    given, or built here for the event).
    """
    sessions = list(sessions)
    if viewers is None:
        viewers = viewers_at_event(event_id=event_id, participant_ids=participant_ids)
    people = set(participant_ids)
    kind_of = {
        participant_id: viewer.kind(event_id=event_id)
        for participant_id, viewer in viewers.items()
        if participant_id in people
    }
    kinds = list(dict.fromkeys(kind_of.values()))
    audiences: dict[int, set[int]] = {session.pk: set() for session in sessions}
    if not sessions or not kinds:
        return audiences
    holds = {
        f"kind_{n}": Exists(
            viewer_schedule_sessions(viewer=kind, event_id=event_id).filter(pk=OuterRef("pk"))
        )
        for n, kind in enumerate(kinds)
    }
    rows = (
        Session.objects.filter(pk__in=list(audiences))
        .annotate(**holds)
        .values_list("pk", "signup_required", *holds)
    )
    signed_up = _signed_up([s.pk for s in sessions if s.signup_required])
    for session_id, signup_required, *held in rows:
        holding = {kind for kind, yes in zip(kinds, held, strict=True) if yes}
        audiences[session_id] = {
            participant_id
            for participant_id, kind in kind_of.items()
            if kind in holding and (not signup_required or participant_id in signed_up[session_id])
        }
    return audiences


def _signed_up(session_ids: list[int]) -> dict[int, set[int]]:
    """Who holds a seat (not a waiting-list place) in each of these sessions."""
    signed_up: dict[int, set[int]] = defaultdict(set)
    for session_id, participant_id in (
        SessionSignup.objects.confirmed()
        .filter(session_id__in=session_ids)
        .values_list("session_id", "participant_id")
    ):
        signed_up[session_id].add(participant_id)
    return signed_up


def groups_by_participant(*, event_id: int) -> dict[int, list[Group]]:
    """Each person's groups that count (closed groups, published working groups)."""
    groups: dict[int, list[Group]] = defaultdict(list)
    memberships = (
        Membership.objects.counting()
        .filter(group__event_id=event_id)
        .select_related("group", "group__room")
        .order_by("group__kind", "group__name_en")
    )
    for membership in memberships:
        groups[membership.participant_id].append(membership.group)
    return groups


def cafe_seats_by_participant(*, session_ids: Iterable[int]) -> dict[int, list[WorldCafeSeat]]:
    """Each person's World Café tables, round by round, in these sessions."""
    seats: dict[int, list[WorldCafeSeat]] = defaultdict(list)
    counting = WorldCafeSeat.objects.counting().filter(cafe__session_id__in=list(session_ids))
    for seat in counting.select_related("table", "cafe__session"):
        seats[seat.participant_id].append(seat)
    return seats


@dataclass
class DocumentsForViewers:
    """Documents each person may see, decided by the one rule `Document.objects.visible_to`
    once per kind of viewer (`Viewer.kind`), not once per person: the viewer without its
    person, narrowed to this event and to the groups named on these documents (the only
    groups that can change the answer)."""

    documents: QuerySet[Document]
    event_id: int
    viewers: dict[int, Viewer]
    _cache: dict = field(default_factory=dict)
    _relevant_groups: frozenset[int] | None = None

    def for_participant(self, participant: Participant) -> list[Document]:
        if self._relevant_groups is None:
            self._relevant_groups = frozenset(
                Document.groups.through.objects.filter(document__in=self.documents).values_list(
                    "group_id", flat=True
                )
            )
        viewer = self.viewers.get(participant.pk)
        if viewer is None:
            return []
        kind = viewer.kind(event_id=self.event_id, group_ids=self._relevant_groups)
        if kind not in self._cache:
            self._cache[kind] = list(self.documents.visible_to(kind))
        return self._cache[kind]


def documents_published_between(
    *, event_id: int, since: datetime, until: datetime
) -> QuerySet[Document]:
    return (
        Document.objects.published()
        .filter(event_id=event_id, published_at__gte=since, published_at__lt=until)
        .order_by("published_at", "pk")
    )


def day_sessions(*, event_id: int, day_id: int) -> list[Session]:
    """The day's sessions in schedule order, with what a digest prints."""
    return list(
        Session.objects.filter(event_id=event_id, day_id=day_id)
        .select_related("room", "day")
        .order_by("starts_at", "room__position", "pk")
    )
