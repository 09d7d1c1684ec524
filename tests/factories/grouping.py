"""Synthetic events on plain data for the assignment tests and the benchmark."""

import random

from participants.groups.services.grouping_core import Person, Slot

# Skewed on purpose, as real events are: civil society and Central America dominate.
SECTORS = (
    ["civil_society"] * 9
    + ["government"] * 4
    + ["international_agency"] * 2
    + [
        "private_sector",
        "academia",
        "media",
    ]
)
REGIONS = {
    "central_america_mexico": ["CR", "MX", "GT", "HN", "SV", "NI", "PA"],
    "south_america": ["CO", "PE", "EC", "BO", "BR", "AR", "UY", "CL", "PY"],
    "caribbean": ["DO", "JM", "TT", "HT"],
    "north_america": ["US", "CA"],
}
REGION_WEIGHTS = [
    ("central_america_mexico", 5),
    ("south_america", 4),
    ("caribbean", 2),
    ("north_america", 1),
]


def synthetic_people(
    count: int, group_ids: list[int], seed: int = 7, ranked: float = 0.5
) -> list[Person]:
    """`count` people; a share `ranked` of them rank three topics."""
    rng = random.Random(seed)
    regions = [r for r, w in REGION_WEIGHTS for _ in range(w)]
    people = []
    for n in range(1, count + 1):
        region = rng.choice(regions)
        country = rng.choice(REGIONS[region][:3] if rng.random() < 0.6 else REGIONS[region])
        languages = (
            ("en", "es")
            if rng.random() < 0.45
            else (
                ("pt",)
                if country == "BR"
                else ("en",)
                if region in ("north_america", "caribbean")
                else ("es",)
            )
        )
        preferences = tuple(rng.sample(group_ids, 3)) if rng.random() < ranked else ()
        people.append(Person(n, rng.choice(SECTORS), region, country, languages, preferences))
    return people


def synthetic_slots(
    groups: int, capacity: int, languages: tuple[str, ...] = ("es", "en")
) -> list[Slot]:
    """Groups working in one of `languages` each, with interpreting into the others (so
    only people who speak none of them share no language with a group)."""
    slots = []
    for g in range(1, groups + 1):
        working = languages[g % len(languages)]
        others = tuple(code for code in languages if code != working)
        slots.append(Slot(id=g, capacity=capacity, languages=(working,), interpreted=others))
    return slots
