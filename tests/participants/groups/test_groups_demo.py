"""load_demo builds published working groups, closed-group members and a World Café plan."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from participants.models import Group, Membership, Registration, WorldCafe, WorldCafeSeat

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        set(Membership.objects.values_list("participant_id", "group_id", "role")),
        set(WorldCafeSeat.objects.values_list("participant_id", "round_number", "table_id")),
    )


def test_load_demo_builds_groups_and_a_cafe_plan_idempotently():
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", stdout=StringIO())

    working = Group.objects.filter(kind=Group.Kind.WORKING)
    delegates = Registration.objects.filter(
        status=Registration.Status.APPROVED, type__slug="full-dialogue"
    ).values_list("participant_id", flat=True)
    per_person = Counter(
        Membership.objects.filter(group__in=working).values_list("participant_id", flat=True)
    )
    cafe = WorldCafe.objects.get()
    assert snapshot() == first
    assert 6 <= working.count() <= 8
    assert all(g.is_published and g.facilitator_id and g.room_id for g in working)
    assert set(per_person) == set(delegates) and set(per_person.values()) == {1}
    assert Membership.objects.filter(group__kind=Group.Kind.CLOSED).count() > 10
    assert cafe.published_at is not None and cafe.tables.filter(host=None).count() == 0
    assert WorldCafeSeat.objects.filter(cafe=cafe).count() == len(delegates) * cafe.rounds
