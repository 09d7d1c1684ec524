"""Working-group assignment and publication: the staff workflow around `grouping_core`
(the pure, deterministic assignment on plain data, re-exported here: `assign`,
`summarise`, `balance_score`, `Person`, `Slot`).

propose → review the summary → move or lock people by hand → publish. Proposing again
keeps locked people (and facilitators and rapporteurs) where they are.

Once an assignment is published, a new proposal is written as draft memberships
(`Membership.is_draft`): members keep their published group, room and documents while
staff review and adjust the draft; publishing swaps the draft in at once. Before any
publication the proposal is written directly (nobody sees unpublished groups anyway).

Languages are a rule, not a preference: a member must share a language with the group's
working languages or its interpreting. The assignment keeps to it wherever some group
with room allows; whoever it cannot place so is listed for staff in the proposal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from events.models import Event, Session
from participants.groups.services.grouping_core import (
    GroupingError,
    GroupMix,
    Person,
    Slot,
    assign,
    balance_score,
    summarise,
)
from participants.models import Group, Membership, Participant, Registration, TopicPreference
from sanjose import clock
from sanjose.outbox.services import queue_email

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
    "has_draft",
    "lock_memberships",
    "move_member",
    "propose_working_groups",
    "split_working_set",
    "publish_working_groups",
    "working_group_summary",
    "working_memberships",
]


@dataclass
class Proposal:
    assigned: int
    kept: int
    mixes: list[GroupMix]
    # Written as a draft beside the published assignment (published again to take effect).
    is_draft: bool = False

    @property
    def not_understanding(self) -> list[int]:
        """Participant ids placed in a group they share no language with (nor with its
        interpreting): staff must add interpreting, a language, or move them."""
        return sorted(pid for mix in self.mixes for pid in mix.not_understanding)


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


def has_draft(*, event: Event) -> bool:
    """Whether a proposal waits to be published beside the published assignment."""
    return Membership.with_drafts.filter(group__event=event, is_draft=True).exists()


def working_memberships(*, event: Event) -> QuerySet[Membership]:
    """The assignment staff work on: the draft if there is one, else the live one."""
    return Membership.with_drafts.filter(
        group__event=event, group__kind=Group.Kind.WORKING, is_draft=has_draft(event=event)
    )


def split_working_set(memberships: list[Membership]) -> tuple[list[Membership], bool]:
    """From all of an event's working-group memberships (drafts included, one query): the
    ones staff work on, and whether they are a draft."""
    drafting = any(m.is_draft for m in memberships)
    return [m for m in memberships if m.is_draft == drafting], drafting


def _fixed_memberships(event: Event) -> QuerySet[Membership]:
    """Memberships a proposal must not touch: locked people, facilitators, rapporteurs."""
    return working_memberships(event=event).filter(
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
            languages=tuple(sorted(set(g.working_languages))),
            interpreted=tuple(sorted(set(g.interpreter_languages))),
        )
        for g in groups
    ]
    return people, slots


@transaction.atomic
def propose_working_groups(*, event: Event) -> Proposal:
    """Replace the unlocked memberships of the event's working groups with a fresh
    assignment (locked people, facilitators and rapporteurs stay), keeping each member
    in a group whose working or interpreting languages they speak wherever possible.

    While an assignment is published, the proposal is a draft: the published groups,
    their members and what they see stay as they are until `publish_working_groups`.
    Sends nothing. Raises GroupingError, writing nothing, when the people do not fit.
    """
    groups = _working_groups(event)
    people, slots = _plain_data(event, groups)
    fixed_rows = list(_fixed_memberships(event))
    fixed = {m.participant_id: m.group_id for m in fixed_rows}
    eligible = {p.id for p in people}
    locked = {pk: group_id for pk, group_id in fixed.items() if pk in eligible}
    # A fixed member who is not (or no longer) approved still holds a seat.
    outsiders = Counter(group_id for pk, group_id in fixed.items() if pk not in eligible)
    slots = [
        replace(s, capacity=None if s.capacity is None else max(s.capacity - outsiders[s.id], 0))
        for s in slots
    ]
    result = assign(people=people, slots=slots, locked=locked)
    drafting = has_draft(event=event) or any(g.is_published for g in groups)
    if drafting:
        Membership.with_drafts.filter(group__in=groups, is_draft=True).delete()
        Membership.with_drafts.bulk_create(
            Membership(
                participant_id=m.participant_id,
                group_id=m.group_id,
                role=m.role,
                is_locked=m.is_locked,
                is_draft=True,
            )
            for m in fixed_rows
        )
    else:
        Membership.objects.filter(group__in=groups).exclude(
            pk__in=[m.pk for m in fixed_rows]
        ).delete()
    Membership.with_drafts.bulk_create(
        Membership(participant_id=person_id, group_id=group_id, is_draft=drafting)
        for person_id, group_id in sorted(result.items())
        if person_id not in fixed
    )
    return Proposal(
        assigned=len(result) - len(locked),
        kept=len(locked),
        mixes=summarise(people=people, slots=slots, assignment=result),
        is_draft=drafting,
    )


def working_group_summary(
    *, event: Event, memberships: list[Membership] | None = None
) -> list[GroupMix]:
    """The mix of each working group as it stands now (after hand edits too): the draft
    proposal if there is one, else the published assignment (or the `memberships` given,
    as `split_working_set` returns them)."""
    groups = _working_groups(event)
    people, slots = _plain_data(event, groups)
    if memberships is None:
        memberships = list(working_memberships(event=event))
    current = {m.participant_id: m.group_id for m in memberships}
    listed = [p for p in people if p.id in current]
    return summarise(people=listed, slots=slots, assignment=current)


@transaction.atomic
def move_member(*, membership: Membership, to_group: Group) -> Membership:
    """Move a person to another working group of the same event and lock them there.

    A draft membership moves within the draft. A live one moves at once: in a published
    group the person sees the new group, and publishing again emails them (only them: the
    others were emailed already).
    """
    if to_group.event_id != membership.group.event_id or to_group.kind != Group.Kind.WORKING:
        raise GroupingError(_("A person can only move to another working group of this event."))
    taken = (
        Membership.with_drafts.filter(group=to_group, is_draft=membership.is_draft)
        .exclude(pk=membership.pk)
        .count()
    )
    if to_group.capacity is not None and taken >= to_group.capacity:
        raise GroupingError(
            _("%(group)s is full (%(capacity)d places).")
            % {"group": to_group.name, "capacity": to_group.capacity}
        )
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
        raise GroupingError(_("There are no working groups to publish."))
    sizes = Counter(working_memberships(event=event).values_list("group_id", flat=True))
    for group in groups:
        size = sizes[group.pk]
        if size == 0:
            raise GroupingError(
                _("%(group)s has nobody in it: propose an assignment first.")
                % {"group": group.name}
            )
        if group.capacity is not None and size > group.capacity:
            raise GroupingError(
                _("%(group)s has %(size)d people for %(capacity)d places.")
                % {"group": group.name, "size": size, "capacity": group.capacity}
            )


@transaction.atomic
def publish_working_groups(*, event: Event, notify: bool = True) -> int:
    """Publish every working group of the event and email each member their group.

    A draft proposal replaces the published assignment here, in one transaction. Sets
    is_published and published_at on all working groups at once, and queues one
    "group_published" email per member and group (in the member's language), so a
    person who keeps their group through a re-run is not emailed twice. Returns the
    number of emails queued. Raises GroupingError, changing nothing, when a group is
    empty or over capacity.
    """
    groups = _working_groups(event)
    _check_publishable(event, groups)
    if has_draft(event=event):
        Membership.objects.filter(group__in=groups).delete()
        Membership.with_drafts.filter(group__in=groups, is_draft=True).update(is_draft=False)
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
        bulk=True,
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
