"""The World Café rotation on plain data: 60 people, 6 tables, 4 rounds, and bad input."""

from collections import Counter

import pytest

from participants.groups.services.rotation import (
    RotationError,
    meetings,
    repeat_lower_bound,
    repeat_score,
    rotate,
)

PEOPLE = list(range(1001, 1061))
TABLES = [11, 12, 13, 14, 15, 16]


def naive_rotation(people, tables, rounds):
    """Everyone moves one table on each round: table-mates stay together all along."""
    return {p: [tables[(i + r) % len(tables)] for r in range(rounds)] for i, p in enumerate(people)}


@pytest.fixture(scope="module")
def plan():
    return rotate(people=PEOPLE, tables=TABLES, rounds=4)


def test_rotate_seats_everyone_at_a_different_table_each_round(plan):
    assert set(plan) == set(PEOPLE)
    assert all(len(set(tables)) == 4 for tables in plan.values())


def test_rotate_keeps_table_sizes_within_one(plan):
    for r in range(4):
        sizes = Counter(tables[r] for tables in plan.values())
        assert set(sizes) == set(TABLES)
        assert max(sizes.values()) - min(sizes.values()) <= 1


def test_rotate_repeat_encounters_stay_within_5_percent_of_the_lower_bound(plan):
    """Stated bound: Σ C(m, 2) over pairs ≤ 1.05 × the proven lower bound (180 here);
    the naive rotation scores 1,620 (its table-mates meet in all four rounds)."""
    bound = repeat_lower_bound(people=60, tables=6, rounds=4)
    naive = repeat_score(naive_rotation(PEOPLE, TABLES, 4))

    ours = repeat_score(plan)

    assert bound == 180
    assert naive == 1620
    assert bound <= ours <= bound * 1.05
    assert (
        sum(1 for m in meetings(plan).values() if m > 1)
        < sum(1 for m in meetings(naive_rotation(PEOPLE, TABLES, 4)).values() if m > 1) / 1.5
    )


def test_rotate_is_deterministic(plan):
    assert rotate(people=list(reversed(PEOPLE)), tables=TABLES, rounds=4) == plan


def test_rotate_fills_every_table_when_rounds_equal_tables_and_sizes_are_uneven():
    result = rotate(people=list(range(59)), tables=TABLES, rounds=6)

    assert all(sorted(tables) == TABLES for tables in result.values())
    for r in range(6):
        sizes = Counter(tables[r] for tables in result.values())
        assert sorted(sizes.values()) == [9, 10, 10, 10, 10, 10]


@pytest.mark.parametrize(
    ("tables", "rounds", "message"),
    [
        (TABLES, 0, "at least one round"),
        (TABLES, 7, "7 rounds but only 6 tables"),
        ([], 1, "at least one table"),
    ],
)
def test_rotate_refuses_impossible_cafes(tables, rounds, message):
    with pytest.raises(RotationError, match=message):
        rotate(people=PEOPLE, tables=tables, rounds=rounds)
