"""The World Café rotation on plain data: who sits at which table in each round.

Rules (hard): every person sits at a different table in each round; in every round the
table sizes differ by at most one. Hosts are not rotated: they stay at their table.

Objective (soft): two people should share a table as rarely as possible. We minimise
Σ over pairs C(m, 2), m = rounds the pair shared a table, which is 0 for pairs who meet
at most once and grows fast for pairs who keep meeting. Its lower bound: between any two
rounds, the k people of one table must spread over the other T - 1 tables (not their own
table again), so at least `spread_pairs(k, T - 1)` of their pairs meet again; summed over
tables and pairs of rounds that gives `repeat_lower_bound`, which no plan can beat.

Search: round 1 deals people round-robin; each later round seats people one by one at
the table (not yet visited, with a free seat) where they have met the fewest, and then
swaps pairs between tables while that lowers the objective. No randomness.
"""

from __future__ import annotations

from itertools import combinations
from math import comb

MAX_SWAP_PASSES = 6


class RotationError(ValueError):
    """The café cannot be planned (the message is for staff)."""


def check(*, people: int, tables: int, rounds: int) -> None:
    if rounds < 1:
        raise RotationError("A World Café needs at least one round.")
    if tables < 1:
        raise RotationError("A World Café needs at least one table.")
    if rounds > tables:
        raise RotationError(
            f"{rounds} rounds but only {tables} tables: each person must sit at a different "
            "table every round, so there cannot be more rounds than tables."
        )
    if people < 1:
        raise RotationError("There is nobody to seat: no approved participant for this day.")


def quotas(people: int, tables: int, round_index: int = 0) -> list[int]:
    """Seats per table in one round: sizes differ by at most one. The tables that take
    one more person move on each round (when there are as many rounds as tables, the
    last round has no choice left, and only this keeps it possible)."""
    extra = people % tables
    return [
        people // tables + (1 if (t - round_index) % tables < extra else 0) for t in range(tables)
    ]


def rotate(*, people: list[int], tables: list[int], rounds: int) -> dict[int, list[int]]:
    """Person id -> table id per round (index 0 is round 1)."""
    check(people=len(people), tables=len(tables), rounds=rounds)
    people, tables = sorted(people), sorted(tables)
    n, t = len(people), len(tables)
    seats: list[list[int]] = [[i % t for i in range(n)]]  # [round][person] -> table index
    met = [[0] * n for _ in range(n)]
    _count(met, seats[0], t, +1)
    for _ in range(1, rounds):
        seating = _seat_round(met, seats, n, t)
        _count(met, seating, t, +1)
        seats.append(seating)
    for _ in range(MAX_SWAP_PASSES):
        # Every round gets its pass (no short-circuit): a swap in one helps the others.
        improved = [_swap_round(met, seats, r, t) for r in range(rounds)]
        if not any(improved):
            break
    return {person: [tables[seats[r][i]] for r in range(rounds)] for i, person in enumerate(people)}


def _at_tables(seating: list[int], t: int) -> list[list[int]]:
    at: list[list[int]] = [[] for _ in range(t)]
    for person, table in enumerate(seating):
        at[table].append(person)
    return at


def _count(met: list[list[int]], seating: list[int], t: int, step: int) -> None:
    for group in _at_tables(seating, t):
        for p, q in combinations(group, 2):
            met[p][q] += step
            met[q][p] += step


def _seat_round(met: list[list[int]], seats: list[list[int]], n: int, t: int) -> list[int]:
    free = quotas(n, t, len(seats))
    at: list[list[int]] = [[] for _ in range(t)]
    seating = [-1] * n
    visited = [{rnd[p] for rnd in seats} for p in range(n)]
    # The most-travelled people first: they have the fewest tables left.
    for p in sorted(range(n), key=lambda p: (-len(visited[p]), seats[-1][p], p)):
        options = [table for table in range(t) if free[table] and table not in visited[p]]
        if not options:
            _make_room(p, seating, at, free, visited, t)
            options = [table for table in range(t) if free[table] and table not in visited[p]]
        table = min(options, key=lambda c: (sum(met[p][q] for q in at[c]), -free[c], c))
        seating[p] = table
        at[table].append(p)
        free[table] -= 1
    return seating


def _make_room(p, seating, at, free, visited, t) -> None:
    """Free a seat p may take by moving people along a chain of tables (augmenting path)."""
    start = [c for c in range(t) if c not in visited[p]]
    parent: dict[int, tuple[int, int] | None] = dict.fromkeys(start)
    queue = list(start)
    while queue:
        table = queue.pop(0)
        for q in sorted(at[table]):
            for other in range(t):
                if other in parent or other in visited[q]:
                    continue
                parent[other] = (table, q)
                if free[other]:
                    _shift_chain(other, parent, seating, at, free)
                    return
                queue.append(other)
    raise RotationError("No seating satisfies every rule for this round.")


def _shift_chain(table, parent, seating, at, free) -> None:
    free[table] -= 1
    while parent[table] is not None:
        previous, q = parent[table]
        at[previous].remove(q)
        at[table].append(q)
        seating[q] = table
        table = previous
    free[table] += 1


def _swap_round(met: list[list[int]], seats: list[list[int]], r: int, t: int) -> bool:
    """Swap pairs of people between tables in round r while Σ C(m, 2) goes down."""
    seating = seats[r]
    visited = [{rnd[p] for i, rnd in enumerate(seats) if i != r} for p in range(len(seating))]
    at = _at_tables(seating, t)
    improved = False
    for p, q in combinations(range(len(seating)), 2):
        a, b = seating[p], seating[q]
        if a == b or b in visited[p] or a in visited[q]:
            continue
        delta = sum(met[p][x] for x in at[b] if x != q) - sum(
            met[p][x] - 1 for x in at[a] if x != p
        )
        delta += sum(met[q][x] for x in at[a] if x != p) - sum(
            met[q][x] - 1 for x in at[b] if x != q
        )
        if delta < 0:
            for x in at[a]:
                if x != p:
                    _meet(met, p, x, -1)
                    _meet(met, q, x, +1)
            for x in at[b]:
                if x != q:
                    _meet(met, q, x, -1)
                    _meet(met, p, x, +1)
            at[a].remove(p)
            at[b].remove(q)
            at[a].append(q)
            at[b].append(p)
            seating[p], seating[q] = b, a
            improved = True
    return improved


def _meet(met: list[list[int]], p: int, q: int, step: int) -> None:
    met[p][q] += step
    met[q][p] += step


def meetings(plan: dict[int, list[int]]) -> dict[tuple[int, int], int]:
    """How many rounds each pair shared a table (pairs who never met are left out)."""
    counts: dict[tuple[int, int], int] = {}
    rounds = len(next(iter(plan.values()), []))
    for r in range(rounds):
        by_table: dict[int, list[int]] = {}
        for person in sorted(plan):
            by_table.setdefault(plan[person][r], []).append(person)
        for group in by_table.values():
            for pair in combinations(group, 2):
                counts[pair] = counts.get(pair, 0) + 1
    return counts


def repeat_score(plan: dict[int, list[int]]) -> int:
    """Σ over pairs C(m, 2): 0 when no two people share a table twice."""
    return sum(comb(m, 2) for m in meetings(plan).values())


def spread_pairs(people: int, bins: int) -> int:
    """Fewest pairs that share a bin when `people` are spread over `bins`."""
    return sum(comb(size, 2) for size in quotas(people, bins)) if bins else comb(people, 2)


def repeat_lower_bound(*, people: int, tables: int, rounds: int) -> int:
    """No plan has a lower `repeat_score` (see the module docstring)."""
    per_round = sum(spread_pairs(size, tables - 1) for size in quotas(people, tables))
    return comb(rounds, 2) * per_round
