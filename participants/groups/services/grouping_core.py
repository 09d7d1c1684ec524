"""Cross-sector working-group assignment on plain data: no database, deterministic.

The objective (a penalty; lower is better), summed over groups g and attributes A in
(sector, sub-region, country), with E_gv = T_g * share_v the expected count of value v
in group g (T_g is g's target size: people spread in proportion to capacity, share_v the
event-wide share of v):

  balance     Σ w_A * (count_gv - E_gv)²             every group mirrors the whole event
  dominance   Σ DOMINANCE * max(0, count_gv - (⌈E_gv⌉ + 1))²
                                                      no sector or country takes a group over
                                                      (more than one above its fair share)
  language    UNDERSTOOD_ONLY * members who share none of the group's working languages
              but one of its interpreting languages; NOT_UNDERSTOOD (large enough to act
              as a rule) * members who share no language with the group or its
              interpreting: they go there only when no group they understand has room,
              and `summarise` flags them for staff
  size        SIZE * (size_g - T_g)²                 groups fill evenly
  preference  PREFERENCE * (rank - 1) for a ranked group, PREFERENCE * UNRANKED when the
              person ranked topics but got none of them; nothing for people without ranks

Every term is a sum over (group, attribute, value) cells or over people, so moving one
person changes a handful of cells and a move or swap is scored in constant time.

Search: locked people are placed first and never move; the others are seeded greedily
(rarest profiles first, each into the cheapest group with room), then improved by local
search (single moves into groups with room, and swaps between each pair of groups among
their most promising members) until no step improves or a pass limit is hit. Nothing is
random, and every iteration runs over sorted integers, so the same input gives the same
output.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext

ATTRIBUTES = ("sector", "subregion", "country")
WEIGHTS = {"sector": 1.0, "subregion": 1.0, "country": 1.0}
DOMINANCE = 25.0
UNDERSTOOD_ONLY = 30.0
NOT_UNDERSTOOD = 100_000.0
PREFERENCE = 1.5
SIZE = 3.0
UNRANKED = 4
MAX_PASSES = 12
MIN_GAIN = 0.005
SWAP_CANDIDATES = 4


class GroupingError(ValueError):
    """The input cannot be assigned (the message is for staff)."""


@dataclass(frozen=True)
class Person:
    id: int
    sector: str
    subregion: str
    country: str
    languages: tuple[str, ...] = ()
    # Group ids, most wanted first.
    preferences: tuple[int, ...] = ()


@dataclass(frozen=True)
class Slot:
    """A working group as the assignment sees it: its working languages (none given: the
    language most people speak) and the languages its interpreting covers."""

    id: int
    capacity: int | None = None
    languages: tuple[str, ...] = ()
    interpreted: tuple[str, ...] = ()


@dataclass
class GroupMix:
    """What a group looks like after the assignment: the explanation staff review."""

    group_id: int
    language: str  # the working languages, comma-separated
    size: int
    capacity: int | None
    sectors: dict[str, int] = field(default_factory=dict)
    subregions: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    # rank met ("1", "2", …, "unranked", "no preference") -> people
    preference_ranks: dict[str, int] = field(default_factory=dict)
    # Members who share none of the working languages (interpreting may cover them).
    without_language: int = 0
    # Members who share no language with the group or its interpreting: staff must act.
    not_understanding: list[int] = field(default_factory=list)
    dominated_by: list[str] = field(default_factory=list)

    @property
    def needs_interpreter(self) -> bool:
        return bool(self.not_understanding)


def working_languages(people: list[Person], slots: list[Slot]) -> dict[int, frozenset[str]]:
    """Each group's working languages: its own, or else the language most people speak."""
    spoken = Counter(lang for p in people for lang in p.languages)
    default = min(spoken, key=lambda lang: (-spoken[lang], lang)) if spoken else ""
    return {slot.id: frozenset(slot.languages or (default,)) for slot in slots}


def understands(person: Person, slot: Slot, working: frozenset[str]) -> bool:
    """Whether the person shares a language with the group or with its interpreting."""
    return not working.union(slot.interpreted).isdisjoint(person.languages)


def check_capacity(people: list[Person], slots: list[Slot], locked: dict[int, int]) -> None:
    """Refuse input that cannot fit, with a message staff can act on."""
    if not slots:
        raise GroupingError(gettext("There are no working groups to assign people to."))
    known = {slot.id for slot in slots}
    person_ids = {p.id for p in people}
    for person_id, group_id in locked.items():
        if group_id not in known or person_id not in person_ids:
            raise GroupingError(gettext("A locked membership points outside this assignment."))
    if all(slot.capacity is not None for slot in slots):
        places = sum(slot.capacity for slot in slots)
        if len(people) > places:
            raise GroupingError(
                gettext(
                    "%(people)d people for %(places)d places: raise a group's capacity or "
                    "add a group."
                )
                % {"people": len(people), "places": places}
            )
    locked_per_group = Counter(locked.values())
    for slot in slots:
        if slot.capacity is not None and locked_per_group[slot.id] > slot.capacity:
            raise GroupingError(
                gettext("Group %(group)s has %(locked)d locked people for %(capacity)d places.")
                % {"group": slot.id, "locked": locked_per_group[slot.id], "capacity": slot.capacity}
            )


class _State:
    """Counts per (group, attribute, value) and the constant-time scoring of changes."""

    def __init__(self, people: list[Person], slots: list[Slot], languages: dict[int, str]):
        self.people = people
        self.slots = slots
        n_groups = len(slots)
        self.group_index = {slot.id: i for i, slot in enumerate(slots)}
        self.capacity = [slot.capacity for slot in slots]
        self.size = [0] * n_groups
        total = len(people)
        if all(c is not None for c in self.capacity) and sum(self.capacity):
            places = sum(self.capacity)
            targets = [total * c / places for c in self.capacity]
        else:
            targets = [total / n_groups] * n_groups
        self.targets = targets
        # Attribute values as small integers, per attribute.
        self.values: list[list[int]] = []  # [attribute][person] -> value index
        self.expected: list[list[list[float]]] = []  # [attribute][group][value]
        self.allowed: list[list[list[int]]] = []
        self.counts: list[list[list[int]]] = []
        self.weights: list[float] = []
        for attribute in ATTRIBUTES:
            raw = [getattr(p, attribute) for p in people]
            codes = {v: i for i, v in enumerate(sorted(set(raw)))}
            freq = Counter(raw)
            shares = [freq[v] / total for v in sorted(codes)] if total else []
            self.values.append([codes[v] for v in raw])
            expected = [[t * s for s in shares] for t in targets]
            self.expected.append(expected)
            self.allowed.append([[math.ceil(e) + 1 for e in row] for row in expected])
            self.counts.append([[0] * len(codes) for _ in slots])
            self.weights.append(WEIGHTS[attribute])
        self.unary = [self._unary_costs(p, languages) for p in people]
        self.profile = [tuple(values[i] for values in self.values) for i in range(total)]
        self.cache: list[dict] = [{} for _ in slots]

    def _unary_costs(self, person: Person, languages: dict[int, frozenset[str]]) -> list[float]:
        ranks = {group_id: rank for rank, group_id in enumerate(person.preferences, start=1)}
        costs = []
        for slot in self.slots:
            cost = 0.0
            if not understands(person, slot, languages[slot.id]):
                cost += NOT_UNDERSTOOD
            elif languages[slot.id].isdisjoint(person.languages):
                cost += UNDERSTOOD_ONLY
            if person.preferences:
                cost += PREFERENCE * (ranks[slot.id] - 1 if slot.id in ranks else UNRANKED)
            costs.append(cost)
        return costs

    def _cell(self, a: int, g: int, v: int, count: int) -> float:
        excess = count - self.allowed[a][g][v]
        dominance = DOMINANCE * excess * excess if excess > 0 else 0.0
        deviation = count - self.expected[a][g][v]
        return self.weights[a] * deviation * deviation + dominance

    def _cell_change(self, a: int, g: int, v: int, step: int) -> float:
        """_cell(count + step) - _cell(count), expanded because it runs millions of times."""
        count = self.counts[a][g][v]
        change = self.weights[a] * (2 * step * (count - self.expected[a][g][v]) + 1)
        allowed = self.allowed[a][g][v]
        if count > allowed or count + step > allowed:
            before = max(count - allowed, 0)
            after = max(count + step - allowed, 0)
            change += DOMINANCE * (after * after - before * before)
        return change

    def add(self, p: int, g: int, step: int = 1) -> None:
        for a in range(len(ATTRIBUTES)):
            self.counts[a][g][self.values[a][p]] += step
        self.size[g] += step
        self.cache[g].clear()

    def _profile_change(self, p: int, g: int, step: int) -> float:
        """Cell changes for p joining (+1) or leaving (-1) g; people with the same
        profile share the figure until g changes."""
        key = (self.profile[p], step)
        cached = self.cache[g].get(key)
        if cached is None:
            cached = sum(
                self._cell_change(a, g, self.values[a][p], step) for a in range(len(ATTRIBUTES))
            )
            self.cache[g][key] = cached
        return cached

    def _size_change(self, g: int, step: int) -> float:
        before = self.size[g] - self.targets[g]
        after = before + step
        return SIZE * (after * after - before * before)

    def join_cost(self, p: int, g: int) -> float:
        return self.unary[p][g] + self._size_change(g, 1) + self._profile_change(p, g, 1)

    def move_cost(self, p: int, source: int, target: int) -> float:
        """Change of the objective if person p moves from group source to group target."""
        return (
            self.unary[p][target]
            - self.unary[p][source]
            + self._size_change(source, -1)
            + self._size_change(target, 1)
            + self._profile_change(p, source, -1)
            + self._profile_change(p, target, 1)
        )

    def swap_cost(self, p: int, a_group: int, q: int, b_group: int) -> float:
        """Change if p (in a_group) and q (in b_group) trade places: sizes stay, and an
        attribute on which p and q agree changes nothing."""
        total = (
            self.unary[p][b_group]
            - self.unary[p][a_group]
            + self.unary[q][a_group]
            - self.unary[q][b_group]
        )
        for a in range(len(ATTRIBUTES)):
            vp, vq = self.values[a][p], self.values[a][q]
            if vp != vq:
                total += (
                    self._cell_change(a, a_group, vp, -1)
                    + self._cell_change(a, b_group, vp, 1)
                    + self._cell_change(a, b_group, vq, -1)
                    + self._cell_change(a, a_group, vq, 1)
                )
        return total

    def has_room(self, g: int) -> bool:
        return self.capacity[g] is None or self.size[g] < self.capacity[g]

    def objective(self) -> float:
        sizes = sum(SIZE * (n - t) ** 2 for n, t in zip(self.size, self.targets, strict=True))
        return (
            self.balance()
            + sizes
            + sum(self.unary[p][g] for p, g in enumerate(self.where) if g is not None)
        )

    def soft_objective(self) -> float:
        """The objective without the language rule's penalties: what the search's stopping
        rule compares gains with (a few unplaceable people must not end the search)."""
        hard = sum(
            1
            for p, g in enumerate(self.where)
            if g is not None and self.unary[p][g] >= NOT_UNDERSTOOD
        )
        return self.objective() - NOT_UNDERSTOOD * hard

    def balance(self) -> float:
        return sum(
            self._cell(a, g, v, count)
            for a in range(len(ATTRIBUTES))
            for g, row in enumerate(self.counts[a])
            for v, count in enumerate(row)
        )


def assign(
    *, people: list[Person], slots: list[Slot], locked: dict[int, int] | None = None
) -> dict[int, int]:
    """Person id -> group id for everyone, locked people where they are locked.

    Raises GroupingError when the people do not fit.
    """
    locked = locked or {}
    check_capacity(people, slots, locked)
    people = sorted(people, key=lambda p: p.id)
    slots = sorted(slots, key=lambda s: s.id)
    state = _State(people, slots, working_languages(people, slots))
    state.where = [None] * len(people)
    fixed = [False] * len(people)
    for i, person in enumerate(people):
        if person.id in locked:
            g = state.group_index[locked[person.id]]
            state.add(i, g)
            state.where[i] = g
            fixed[i] = True
    _seed(state, fixed)
    _improve(state, fixed)
    return {person.id: slots[state.where[i]].id for i, person in enumerate(people)}


def _seed(state: _State, fixed: list[bool]) -> None:
    """People with the fewest groups they understand first, then the rarest profiles
    (they have the fewest good places), each where it costs least."""
    rarity = [Counter(values) for values in state.values]
    options = [sum(1 for cost in costs if cost < NOT_UNDERSTOOD) for costs in state.unary]
    order = sorted(
        (i for i in range(len(state.people)) if not fixed[i]),
        key=lambda i: (
            options[i],
            sum(rarity[a][state.values[a][i]] for a in range(len(ATTRIBUTES))),
            len(state.people[i].languages),
            i,
        ),
    )
    for i in order:
        open_groups = [g for g in range(len(state.slots)) if state.has_room(g)]
        best = min(open_groups, key=lambda g: (state.join_cost(i, g), g))
        state.add(i, best)
        state.where[i] = best


def _improve(state: _State, fixed: list[bool]) -> None:
    """Passes of moves and swaps until a whole pass gains less than MIN_GAIN of the total."""
    movable = [i for i in range(len(state.people)) if not fixed[i]]
    for _ in range(MAX_PASSES):
        gain = _move_pass(state, movable) + _swap_pass(state, movable)
        if gain <= MIN_GAIN * max(state.soft_objective(), 1.0):
            return


def _move_pass(state: _State, movable: list[int]) -> float:
    gain = 0.0
    for i in movable:
        source = state.where[i]
        best, best_cost = None, -1e-9
        for g in range(len(state.slots)):
            if g != source and state.has_room(g):
                cost = state.move_cost(i, source, g)
                if cost < best_cost:
                    best, best_cost = g, cost
        if best is not None:
            state.add(i, source, -1)
            state.add(i, best, 1)
            state.where[i] = best
            gain -= best_cost
    return gain


def _swap_pass(state: _State, movable: list[int]) -> float:
    """For each pair of groups, swap the members who gain most from crossing."""
    members: list[list[int]] = [[] for _ in state.slots]
    for i in movable:
        members[state.where[i]].append(i)
    gain = 0.0
    for a in range(len(state.slots)):
        for b in range(a + 1, len(state.slots)):
            while (step := _best_swap(state, members, a, b)) > 0:
                gain += step
    return gain


def _best_swap(state: _State, members: list[list[int]], a: int, b: int) -> float:
    from_a = sorted(members[a], key=lambda i: (state.move_cost(i, a, b), i))[:SWAP_CANDIDATES]
    from_b = sorted(members[b], key=lambda i: (state.move_cost(i, b, a), i))[:SWAP_CANDIDATES]
    best, best_cost = None, -1e-9
    for p in from_a:
        for q in from_b:
            cost = state.swap_cost(p, a, q, b)
            if cost < best_cost:
                best, best_cost = (p, q), cost
    if best is None:
        return 0.0
    p, q = best
    state.add(p, a, -1)
    state.add(q, b, -1)
    state.add(p, b, 1)
    state.add(q, a, 1)
    state.where[p], state.where[q] = b, a
    members[a].remove(p)
    members[b].remove(q)
    members[a].append(q)
    members[b].append(p)
    return -best_cost


def balance_score(*, people: list[Person], slots: list[Slot], assignment: dict[int, int]) -> float:
    """The balance and dominance terms of the objective (0 would be a perfect mirror)."""
    people = sorted(people, key=lambda p: p.id)
    slots = sorted(slots, key=lambda s: s.id)
    state = _State(people, slots, working_languages(people, slots))
    for i, person in enumerate(people):
        state.add(i, state.group_index[assignment[person.id]])
    return state.balance()


def summarise(
    *, people: list[Person], slots: list[Slot], assignment: dict[int, int]
) -> list[GroupMix]:
    """Per group: counts by sector, sub-region, country, language and preference rank met,
    who lacks the working languages, who shares no language with the group or its
    interpreting (`not_understanding`), and which sector or country exceeds its fair share."""
    languages = working_languages(people, slots)
    slot_by_id = {s.id: s for s in slots}
    mixes = {
        s.id: GroupMix(
            group_id=s.id,
            language=", ".join(sorted(code for code in languages[s.id] if code)),
            size=0,
            capacity=s.capacity,
        )
        for s in slots
    }
    totals = {a: Counter(getattr(p, a) for p in people) for a in ("sector", "country")}
    for person in sorted(people, key=lambda p: p.id):
        mix = mixes[assignment[person.id]]
        mix.size += 1
        for attribute, counts in (
            ("sector", mix.sectors),
            ("subregion", mix.subregions),
            ("country", mix.countries),
        ):
            value = getattr(person, attribute)
            counts[value] = counts.get(value, 0) + 1
        for lang in person.languages:
            mix.languages[lang] = mix.languages.get(lang, 0) + 1
        rank = _rank_label(person, mix.group_id)
        mix.preference_ranks[rank] = mix.preference_ranks.get(rank, 0) + 1
        working = languages[mix.group_id]
        if working.isdisjoint(person.languages):
            mix.without_language += 1
        if not understands(person, slot_by_id[mix.group_id], working):
            mix.not_understanding.append(person.id)
    for mix in mixes.values():
        mix.dominated_by = _dominating(mix, totals, len(people))
        for counts in (mix.sectors, mix.subregions, mix.countries, mix.languages):
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            counts.clear()
            counts.update(ordered)
    return [mixes[s.id] for s in sorted(slots, key=lambda s: s.id)]


def _rank_label(person: Person, group_id: int) -> str:
    if not person.preferences:
        return "no preference"
    if group_id in person.preferences:
        return str(person.preferences.index(group_id) + 1)
    return "unranked"


def _dominating(mix: GroupMix, totals: dict[str, Counter], total: int) -> list[str]:
    found = []
    for attribute, counts in (("sector", mix.sectors), ("country", mix.countries)):
        for value, count in counts.items():
            fair = math.ceil(mix.size * totals[attribute][value] / total) if total else 0
            if count > fair + 1:
                found.append(value)
    return sorted(found)
