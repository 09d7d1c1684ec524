"""World Café plans against the database: compute, refuse bad input, publish."""

from collections import Counter

import pytest

from participants.groups.services import worldcafe
from participants.models import Registration, WorldCafeSeat
from tests.factories import (
    EventDayFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    WorldCafeFactory,
    WorldCafeTableFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe():
    session = SessionFactory(kind="world_cafe")
    cafe = WorldCafeFactory(session=session, rounds=3)
    registration_type = RegistrationTypeFactory(event=session.event)
    for n in range(1, 5):
        host = ParticipantFactory()
        RegistrationFactory(
            participant=host, event=session.event, type=registration_type, status="approved"
        )
        WorldCafeTableFactory(cafe=cafe, number=n, host=host)
    for _ in range(14):
        RegistrationFactory(event=session.event, type=registration_type, status="approved")
    return cafe


def test_compute_seats_guests_at_a_new_table_each_round_and_hosts_at_home(cafe):
    figures = worldcafe.compute_cafe_plan(cafe=cafe)

    seats = list(WorldCafeSeat.objects.filter(cafe=cafe).select_related("table"))
    hosts = {t.host_id: t.pk for t in cafe.tables.all()}
    guests = [s for s in seats if s.participant_id not in hosts]
    assert figures["guests"] == 14
    assert figures["repeat_score"] >= figures["lower_bound"]
    assert all(s.table_id == hosts[s.participant_id] for s in seats if s.participant_id in hosts)
    assert len([s for s in seats if s.participant_id in hosts]) == 4 * 3
    visits = Counter((s.participant_id, s.table_id) for s in guests)
    assert len(guests) == 14 * 3 and max(visits.values()) == 1
    for r in (1, 2, 3):
        sizes = Counter(s.table_id for s in guests if s.round_number == r)
        assert sorted(sizes.values()) == [3, 3, 4, 4]


def test_compute_leaves_out_people_not_approved_or_not_there_that_day(cafe):
    event = cafe.session.event
    RegistrationFactory(event=event, status=Registration.Status.SUBMITTED)
    other_day = RegistrationTypeFactory(event=event)
    other_day.days.set([EventDayFactory(event=event, date=event.end_date)])
    RegistrationFactory(event=event, type=other_day, status=Registration.Status.APPROVED)

    assert worldcafe.compute_cafe_plan(cafe=cafe)["guests"] == 14


def test_compute_again_replaces_the_plan_and_unpublishes_it(cafe):
    worldcafe.compute_cafe_plan(cafe=cafe)
    worldcafe.publish_cafe_plan(cafe=cafe)
    first = set(WorldCafeSeat.objects.values_list("participant_id", "round_number", "table_id"))

    worldcafe.compute_cafe_plan(cafe=cafe)

    cafe.refresh_from_db()
    assert cafe.published_at is None
    assert (
        set(WorldCafeSeat.objects.values_list("participant_id", "round_number", "table_id"))
        == first
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rounds": 0}, "at least one round"),
        ({"rounds": 5}, "5 rounds but only 4 tables"),
        ({"host": None}, "table 2 has none"),
    ],
)
def test_compute_refuses_bad_input_and_keeps_the_published_plan(cafe, change, message):
    worldcafe.compute_cafe_plan(cafe=cafe)
    worldcafe.publish_cafe_plan(cafe=cafe)
    seats = WorldCafeSeat.objects.count()
    if "rounds" in change:
        cafe.rounds = change["rounds"]
        cafe.save(update_fields=["rounds"])
    else:
        cafe.tables.filter(number=2).update(host=None)

    with pytest.raises(worldcafe.RotationError, match=message):
        worldcafe.compute_cafe_plan(cafe=cafe)

    cafe.refresh_from_db()
    assert cafe.published_at is not None
    assert WorldCafeSeat.objects.count() == seats


def test_publish_refuses_a_plan_that_no_longer_matches_the_tables(cafe):
    worldcafe.compute_cafe_plan(cafe=cafe)
    WorldCafeTableFactory(cafe=cafe, number=9)

    with pytest.raises(worldcafe.RotationError, match="Compute the plan first"):
        worldcafe.publish_cafe_plan(cafe=cafe)

    cafe.refresh_from_db()
    assert cafe.published_at is None


def test_one_host_for_two_tables_is_refused(cafe):
    first = cafe.tables.get(number=1)
    cafe.tables.filter(number=2).update(host=first.host)

    with pytest.raises(worldcafe.RotationError, match="hosts two tables"):
        worldcafe.compute_cafe_plan(cafe=cafe)
