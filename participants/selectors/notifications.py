"""Who gets which notification: the read side of reminders, digests and notices.

Everything here works on many people at once, in a fixed number of queries, so a digest
for thousands of participants does not cost a query per person. `session_audiences` is
`schedule.schedule_sessions` read the other way round (for each session, whose schedule
holds it); a test holds the two to the same answer for every kind of session.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

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
from sanjose.access import Viewer, viewers_at_event


def notified_participants(*, event_id: int, wants: str | None = None) -> QuerySet[Participant]:
    """Participants approved for the event (with their user), open-day guests included
    (what each may be told of is decided by their `Viewer`), optionally only those who
    opted in to `wants` (a Participant boolean field such as "wants_daily_digest")."""
    participants = (
        Participant.objects.filter(
            registrations__event_id=event_id, registrations__status=Registration.Status.APPROVED
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

    The rule of `schedule_sessions`, decided per person by their `Viewer` (given, or
    built here for the event): the person may see the session (`Viewer.sees`, the rule of
    `visible_to`), it falls on a day their registration admits, they signed up if it
    needs a sign-up, and they are in one of its groups if it is for named groups.
    """
    sessions = list(sessions)
    if viewers is None:
        viewers = viewers_at_event(event_id=event_id, participant_ids=participant_ids)
    people = set(participant_ids)
    signed_up: dict[int, set[int]] = defaultdict(set)
    for session_id, participant_id in (
        SessionSignup.objects.confirmed()
        .filter(session_id__in=[s.pk for s in sessions if s.signup_required])
        .values_list("session_id", "participant_id")
    ):
        signed_up[session_id].add(participant_id)
    session_groups: dict[int, set[int]] = defaultdict(set)
    for session_id, group_id in Session.groups.through.objects.filter(
        session_id__in=[s.pk for s in sessions if s.audience == Session.Audience.GROUPS]
    ).values_list("session_id", "group_id"):
        session_groups[session_id].add(group_id)
    audiences: dict[int, set[int]] = {}
    for session in sessions:
        groups = session_groups[session.pk]
        audiences[session.pk] = {
            participant_id
            for participant_id, viewer in viewers.items()
            if participant_id in people
            and _in_schedule(session, viewer, groups, signed_up[session.pk])
        }
    return audiences


def _in_schedule(session: Session, viewer: Viewer, groups: set[int], signed_up: set[int]) -> bool:
    if not viewer.sees(audience=session.audience, event_id=session.event_id, group_ids=groups):
        return False
    days = viewer.schedule_day_ids(session.event_id)
    if days is not None and session.day_id not in days:
        return False
    if session.signup_required and viewer.participant_id not in signed_up:
        return False
    return session.audience != Session.Audience.GROUPS or viewer.is_member_of_any(groups)


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
    for seat in WorldCafeSeat.objects.filter(cafe__session_id__in=list(session_ids)).select_related(
        "table", "cafe__session"
    ):
        seats[seat.participant_id].append(seat)
    return seats


@dataclass
class DocumentsForViewers:
    """Documents each person may see, decided by the one rule `Document.objects.visible_to`
    once per distinct kind of viewer, not once per person. Only participant access to the
    event and the groups named on these documents can change the answer, so a kind of
    viewer is its staff flag, that access and those groups."""

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
        key = (
            viewer.is_staff,
            viewer.is_approved_for(self.event_id),
            self._relevant_groups.intersection(viewer.group_ids),
        )
        if key not in self._cache:
            kind = Viewer(
                is_authenticated=True,
                is_staff=key[0],
                approved_event_ids=frozenset({self.event_id}) if key[1] else frozenset(),
                group_ids=key[2],
            )
            self._cache[key] = list(self.documents.visible_to(kind))
        return self._cache[key]


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
