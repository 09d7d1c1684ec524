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
from sanjose.access import Viewer


def notified_participants(*, event_id: int, wants: str | None = None) -> QuerySet[Participant]:
    """Participants approved for the event (with their user), optionally only those who
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
    *, event_id: int, sessions: Iterable[Session], participant_ids: Iterable[int]
) -> dict[int, set[int]]:
    """For each session, which of these (approved) participants have it in their schedule.

    The rule of `schedule_sessions`: a sign-up session belongs to those signed up; a
    session for named groups to the members of those groups; any other session the
    person may see (public, or for approved participants) to everyone here.
    """
    sessions = list(sessions)
    people = set(participant_ids)
    signup_ids = [s.pk for s in sessions if s.signup_required]
    group_session_ids = [
        s.pk for s in sessions if not s.signup_required and s.audience == Session.Audience.GROUPS
    ]
    signed_up: dict[int, set[int]] = defaultdict(set)
    for session_id, participant_id in SessionSignup.objects.filter(
        session_id__in=signup_ids
    ).values_list("session_id", "participant_id"):
        signed_up[session_id].add(participant_id)
    session_groups: dict[int, set[int]] = defaultdict(set)
    for session_id, group_id in Session.groups.through.objects.filter(
        session_id__in=group_session_ids
    ).values_list("session_id", "group_id"):
        session_groups[session_id].add(group_id)
    members: dict[int, set[int]] = defaultdict(set)
    all_groups = set().union(*session_groups.values()) if session_groups else set()
    for group_id, participant_id in (
        Membership.objects.counting()
        .filter(group_id__in=all_groups)
        .values_list("group_id", "participant_id")
    ):
        members[group_id].add(participant_id)
    audiences: dict[int, set[int]] = {}
    for session in sessions:
        if session.signup_required:
            audience = signed_up[session.pk]
        elif session.audience == Session.Audience.GROUPS:
            audience = set().union(*(members[g] for g in session_groups[session.pk]))
        else:
            audience = people
        audiences[session.pk] = audience & people
    return audiences


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
    once per distinct kind of viewer, not once per person. Only the groups named on these
    documents can change the answer, so a viewer is its staff flag and those groups."""

    documents: QuerySet[Document]
    event_id: int
    groups: dict[int, list[Group]]
    _cache: dict = field(default_factory=dict)
    _relevant_groups: frozenset[int] | None = None

    def for_participant(self, participant: Participant) -> list[Document]:
        if self._relevant_groups is None:
            self._relevant_groups = frozenset(
                Document.groups.through.objects.filter(document__in=self.documents).values_list(
                    "group_id", flat=True
                )
            )
        mine = {group.pk for group in self.groups.get(participant.pk, [])}
        key = (participant.user.is_staff, self._relevant_groups.intersection(mine))
        if key not in self._cache:
            viewer = Viewer(
                is_authenticated=True,
                is_staff=key[0],
                approved_event_ids=frozenset({self.event_id}),
                group_ids=key[1],
            )
            self._cache[key] = list(self.documents.visible_to(viewer))
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
