"""Working-group assignment and publication: the staff workflow around `grouping_core`
(the pure, deterministic assignment on plain data, re-exported here: `assign`,
`summarise`, `balance_score`, `Person`, `Slot`).

propose → review the summary → move or lock people by hand → publish. Proposing again
keeps locked people (and facilitators and rapporteurs) where they are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from events.models import Event, Session
from participants.models import Group, Membership, Participant, Registration, TopicPreference
from sanjose import clock
from sanjose.outbox.services import queue_email

from .grouping_core import (
    GroupingError,
    GroupMix,
    Person,
    Slot,
    assign,
    balance_score,
    summarise,
)

__all__ = [
    "GroupMix",
    "GroupingError",
    "Person",
    "Proposal",
    "Slot",
    "assign",
    "balance_score",
    "summarise",
    "assignable_participants",
    "lock_memberships",
    "move_member",
    "propose_working_groups",
    "publish_working_groups",
    "working_group_summary",
]


@dataclass
class Proposal:
    assigned: int
    kept: int
    mixes: list[GroupMix]


def assignable_participants(*, event: Event) -> QuerySet[Participant]:
    """Participants (approved on a type granting participant access) who attend a day
    with working groups (or every day); open-day guests are not assigned to groups."""
    group_days = Session.objects.filter(event=event, kind=Session.Kind.WORKING_GROUPS).values(
        "day_id"
    )
    registrations = Registration.objects.admitting_participants().filter(
        Q(type__days__isnull=True) | Q(type__days__in=group_days), event=event
    )
    return Participant.objects.filter(pk__in=registrations.values("participant_id"))


def _working_groups(event: Event) -> list[Group]:
    return list(Group.objects.filter(event=event, kind=Group.Kind.WORKING).order_by("pk"))


def _fixed_memberships(event: Event) -> QuerySet[Membership]:
    """Memberships a proposal must not touch: locked people, facilitators, rapporteurs."""
    return Membership.objects.filter(group__event=event, group__kind=Group.Kind.WORKING).filter(
        Q(is_locked=True) | ~Q(role=Membership.Role.MEMBER)
    )


def _plain_data(event: Event, groups: list[Group]) -> tuple[list[Person], list[Slot]]:
    rows = assignable_participants(event=event).values_list(
        "pk", "sector", "subregion", "country", "languages_spoken", "preferred_language"
    )
    preferences: dict[int, list[int]] = {}
    for participant_id, group_id in (
        TopicPreference.objects.filter(group__in=groups)
        .order_by("participant_id", "rank")
        .values_list("participant_id", "group_id")
    ):
        preferences.setdefault(participant_id, []).append(group_id)
    people = [
        Person(
            id=pk,
            sector=sector,
            subregion=subregion,
            country=str(country),
            languages=tuple(sorted(set(spoken or [preferred]))),
            preferences=tuple(preferences.get(pk, ())),
        )
        for pk, sector, subregion, country, spoken, preferred in rows
    ]
    slots = [
        Slot(
            id=g.pk,
            capacity=g.capacity,
            language=g.working_language,
            has_interpreter=g.has_interpreter,
        )
        for g in groups
    ]
    return people, slots


@transaction.atomic
def propose_working_groups(*, event: Event) -> Proposal:
    """Replace the event's unlocked working-group memberships with a fresh assignment.

    Locked memberships, facilitators and rapporteurs stay. The groups become unpublished
    until staff publish again (people then see their group; only changed people are
    emailed). Raises GroupingError, writing nothing, when the people do not fit.
    """
    groups = _working_groups(event)
    people, slots = _plain_data(event, groups)
    fixed = dict(_fixed_memberships(event).values_list("participant_id", "group_id"))
    eligible = {p.id for p in people}
    locked = {pk: group_id for pk, group_id in fixed.items() if pk in eligible}
    # A fixed member who is not (or no longer) approved still holds a seat.
    outsiders = Counter(group_id for pk, group_id in fixed.items() if pk not in eligible)
    slots = [
        replace(s, capacity=None if s.capacity is None else max(s.capacity - outsiders[s.id], 0))
        for s in slots
    ]
    result = assign(people=people, slots=slots, locked=locked)
    Membership.objects.filter(group__in=groups).exclude(
        pk__in=_fixed_memberships(event).values("pk")
    ).delete()
    Membership.objects.bulk_create(
        Membership(participant_id=person_id, group_id=group_id)
        for person_id, group_id in sorted(result.items())
        if person_id not in fixed
    )
    Group.objects.filter(pk__in=[g.pk for g in groups]).update(is_published=False)
    return Proposal(
        assigned=len(result) - len(locked),
        kept=len(locked),
        mixes=summarise(people=people, slots=slots, assignment=result),
    )


def working_group_summary(*, event: Event) -> list[GroupMix]:
    """The mix of each working group as it stands now (after hand edits too)."""
    groups = _working_groups(event)
    people, slots = _plain_data(event, groups)
    current = dict(
        Membership.objects.filter(group__in=groups).values_list("participant_id", "group_id")
    )
    listed = [p for p in people if p.id in current]
    return summarise(people=listed, slots=slots, assignment=current)


@transaction.atomic
def move_member(*, membership: Membership, to_group: Group) -> Membership:
    """Move a person to another working group of the same event and lock them there.

    Publication is left as it is: in a published group the person sees the new group at
    once, and publishing again emails them (only them: the others were emailed already).
    """
    if to_group.event_id != membership.group.event_id or to_group.kind != Group.Kind.WORKING:
        raise GroupingError("A person can only move to another working group of this event.")
    taken = Membership.objects.filter(group=to_group).exclude(pk=membership.pk).count()
    if to_group.capacity is not None and taken >= to_group.capacity:
        raise GroupingError(f"{to_group.name} is full ({to_group.capacity} places).")
    membership.group = to_group
    membership.is_locked = True
    membership.save(update_fields=["group", "is_locked"])
    return membership


@transaction.atomic
def lock_memberships(*, memberships: QuerySet[Membership], locked: bool) -> int:
    """Lock (or unlock) people in their group; returns how many changed."""
    return memberships.exclude(is_locked=locked).update(is_locked=locked)


def _check_publishable(event: Event, groups: list[Group]) -> None:
    if not groups:
        raise GroupingError("There are no working groups to publish.")
    for group in groups:
        size = group.memberships.count()
        if size == 0:
            raise GroupingError(f"{group.name} has nobody in it: propose an assignment first.")
        if group.capacity is not None and size > group.capacity:
            raise GroupingError(f"{group.name} has {size} people for {group.capacity} places.")


@transaction.atomic
def publish_working_groups(*, event: Event, notify: bool = True) -> int:
    """Publish every working group of the event and email each member their group.

    Sets is_published and published_at on all working groups at once, and queues one
    "group_published" email per member and group (in the member's language), so a
    person who keeps their group through a re-run is not emailed twice. Returns the
    number of emails queued. Raises GroupingError, changing nothing, when a group is
    empty or over capacity.
    """
    groups = _working_groups(event)
    _check_publishable(event, groups)
    Group.objects.filter(pk__in=[g.pk for g in groups]).update(
        is_published=True, published_at=clock.now()
    )
    if not notify:
        return 0
    memberships = Membership.objects.filter(group__in=groups).select_related(
        "participant__user", "group__room", "group__facilitator"
    )
    return sum(1 for m in memberships if _notify_member(event, m) is not None)


def _notify_member(event: Event, membership: Membership):
    participant = membership.participant
    return queue_email(
        recipient=participant.user.email,
        user=participant.user,
        kind="group_published",
        object_key=f"group:{membership.group_id}",
        template="group_published",
        language=participant.preferred_language,
        context={
            "event": event,
            "participant": participant,
            "group": membership.group,
            "membership": membership,
            "me_url": f"{settings.SITE_URL}/me/",
        },
    )
