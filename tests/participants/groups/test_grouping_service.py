"""Working-group proposal and publication against the database."""

from collections import Counter

import pytest

from participants.groups.services import grouping
from participants.models import Group, Membership, Registration, TopicPreference
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    TopicPreferenceFactory,
)

pytestmark = pytest.mark.django_db

SECTORS = ["civil_society", "government", "private_sector"]
COUNTRIES = [("CR", "central_america_mexico"), ("PE", "south_america"), ("JM", "caribbean")]


def approved(event, registration_type, n, **profile):
    participant = ParticipantFactory(
        sector=SECTORS[n % 3],
        country=COUNTRIES[n % 3 - 1][0],
        subregion=COUNTRIES[n % 3 - 1][1],
        languages_spoken=["es", "en"],
        preferred_language="es" if n % 2 else "en",
        **profile,
    )
    RegistrationFactory(
        participant=participant,
        event=event,
        type=registration_type,
        status=Registration.Status.APPROVED,
    )
    return participant


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def groups(event):
    return [
        GroupFactory(event=event, name=f"Working group {n}", capacity=5, working_languages=["es"])
        for n in range(3)
    ]


@pytest.fixture
def people(event):
    registration_type = RegistrationTypeFactory(event=event)
    return [approved(event, registration_type, n) for n in range(12)]


def memberships(groups):
    return dict(
        Membership.objects.filter(group__in=groups).values_list("participant_id", "group_id")
    )


def test_propose_assigns_every_approved_participant_within_capacity(event, groups, people):
    RegistrationFactory(event=event, status=Registration.Status.SUBMITTED)

    proposal = grouping.propose_working_groups(event=event)

    placed = memberships(groups)
    assert set(placed) == {p.pk for p in people}
    assert max(Counter(placed.values()).values()) <= 5
    assert (proposal.assigned, proposal.kept) == (12, 0)
    assert [m.size for m in proposal.mixes] == [4, 4, 4]
    # Three sectors and three countries, four of each: one or two of each per group.
    assert all(set(m.sectors.values()) <= {1, 2} for m in proposal.mixes)


def test_propose_again_keeps_locked_people_and_facilitators(event, groups, people):
    grouping.propose_working_groups(event=event)
    first = memberships(groups)
    mover = people[0]
    target = next(g for g in groups if g.pk != first[mover.pk])
    grouping.move_member(
        membership=Membership.objects.get(participant=mover, group_id=first[mover.pk]),
        to_group=target,
    )
    facilitator = Membership.objects.filter(group=groups[2]).exclude(participant=mover).first()
    facilitator.role = Membership.Role.FACILITATOR
    facilitator.save(update_fields=["role"])

    proposal = grouping.propose_working_groups(event=event)

    again = memberships(groups)
    assert again[mover.pk] == target.pk
    assert again[facilitator.participant_id] == groups[2].pk
    assert proposal.kept == 2
    assert set(again) == {p.pk for p in people}


def test_propose_refuses_more_people_than_places_and_writes_nothing(event, groups, people):
    grouping.propose_working_groups(event=event)
    before = memberships(groups)
    approved(event, RegistrationTypeFactory(event=event), 99)
    approved(event, RegistrationTypeFactory(event=event), 100)
    approved(event, RegistrationTypeFactory(event=event), 101)
    approved(event, RegistrationTypeFactory(event=event), 102)

    with pytest.raises(grouping.GroupingError, match="16 people for 15 places"):
        grouping.propose_working_groups(event=event)

    assert memberships(groups) == before


def test_propose_uses_topic_preferences(event, groups, people):
    for person in people[:3]:
        TopicPreferenceFactory(participant=person, group=groups[1], rank=1)

    grouping.propose_working_groups(event=event)

    placed = memberships(groups)
    assert [placed[p.pk] for p in people[:3]] == [groups[1].pk] * 3


def test_move_member_refuses_a_full_group(event, groups, people):
    grouping.propose_working_groups(event=event)
    full = groups[0]
    for extra in people:
        if Membership.objects.filter(group=full).count() == 5:
            break
        Membership.objects.filter(participant=extra).update(group=full)
    outsider = Membership.objects.exclude(group=full).filter(group__in=groups).first()

    with pytest.raises(grouping.GroupingError, match="is full"):
        grouping.move_member(membership=outsider, to_group=full)

    outsider.refresh_from_db()
    assert outsider.group_id != full.pk and not outsider.is_locked


def test_publish_sets_flags_and_emails_each_member_once_in_their_language(event, groups, people):
    grouping.propose_working_groups(event=event)

    queued = grouping.publish_working_groups(event=event)
    again = grouping.publish_working_groups(event=event)

    assert (queued, again) == (12, 0)
    assert all(
        g.is_published and g.published_at
        for g in Group.objects.filter(pk__in=[g.pk for g in groups])
    )
    messages = OutboxMessage.objects.filter(kind="group_published")
    assert messages.count() == 12
    spanish = messages.get(recipient=people[1].user.email)
    group = Membership.objects.get(participant=people[1]).group
    assert spanish.language == "es"
    assert spanish.object_key == f"group:{group.pk}"
    assert group.name in spanish.subject
    assert group.name in spanish.body_text and "/me/" in spanish.body_html


def test_publish_refuses_an_empty_group_and_publishes_nothing(event, groups, people):
    GroupFactory(event=event, name="Empty group", capacity=5)
    grouping.propose_working_groups(event=event)
    Membership.objects.filter(group__name_en="Empty group").delete()

    with pytest.raises(grouping.GroupingError, match="Empty group has nobody in it"):
        grouping.publish_working_groups(event=event)

    assert not Group.objects.filter(event=event, is_published=True).exists()
    assert not OutboxMessage.objects.exists()


def test_a_new_proposal_is_a_draft_until_published_and_members_keep_their_group(
    event, groups, people
):
    grouping.propose_working_groups(event=event)
    assert not Membership.objects.counting().filter(group__in=groups).exists()
    grouping.publish_working_groups(event=event, notify=False)
    live = set(Membership.objects.counting().values_list("participant_id", "group_id"))
    assert len(live) == 12
    TopicPreference.objects.all().delete()  # a different proposal, most likely

    proposal = grouping.propose_working_groups(event=event)

    assert proposal.is_draft
    assert set(Membership.objects.counting().values_list("participant_id", "group_id")) == live
    assert all(g.is_published for g in Group.objects.filter(pk__in=[g.pk for g in groups]))
    drafts = Membership.with_drafts.filter(is_draft=True)
    assert drafts.count() == 12
    assert set(grouping.working_memberships(event=event)) == set(drafts)

    grouping.publish_working_groups(event=event, notify=False)

    assert not Membership.with_drafts.filter(is_draft=True).exists()
    now_live = set(Membership.objects.counting().values_list("participant_id", "group_id"))
    assert now_live == set(drafts.model.objects.values_list("participant_id", "group_id"))
    assert len(now_live) == 12


def test_a_draft_keeps_locked_people_and_moves_within_the_draft(event, groups, people):
    grouping.propose_working_groups(event=event)
    grouping.publish_working_groups(event=event, notify=False)
    locked = Membership.objects.filter(group=groups[0]).first()
    grouping.lock_memberships(memberships=Membership.objects.filter(pk=locked.pk), locked=True)

    grouping.propose_working_groups(event=event)
    draft = Membership.with_drafts.get(is_draft=True, participant=locked.participant)
    target = next(g for g in groups if g.pk != locked.group_id)
    grouping.move_member(membership=draft, to_group=target)

    assert (draft.group_id, draft.is_locked) == (target.pk, True)
    assert Membership.objects.get(pk=locked.pk).group_id == locked.group_id  # live unchanged


def test_closed_group_members_are_left_alone(event, groups, people):
    closed = GroupFactory(event=event, kind=Group.Kind.CLOSED, capacity=None)
    MembershipFactory(group=closed, participant=people[0])

    grouping.propose_working_groups(event=event)

    assert Membership.objects.filter(group=closed).count() == 1


def test_a_move_after_publishing_emails_only_the_moved_person_on_the_next_publish(
    event, groups, people
):
    grouping.propose_working_groups(event=event)
    grouping.publish_working_groups(event=event)
    membership = Membership.objects.filter(group=groups[0]).first()
    target = groups[1] if Membership.objects.filter(group=groups[1]).count() < 5 else groups[2]

    grouping.move_member(membership=membership, to_group=target)
    queued = grouping.publish_working_groups(event=event)

    assert queued == 1
    latest = OutboxMessage.objects.filter(kind="group_published").latest("pk")
    assert (latest.recipient, latest.object_key) == (
        membership.participant.user.email,
        f"group:{target.pk}",
    )
