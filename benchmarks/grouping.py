"""Time the working-group assignment: 2,000 synthetic participants into 40 groups.

Run from the project root: `.venv/bin/python benchmarks/grouping.py` (or `make benchmarks`).
The target is under 10 seconds on the 2-core development machine.
"""

import os
import pathlib
import random
import statistics
import sys
import time

import django

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")
django.setup()  # the synthetic data lives beside the test factories

from participants.groups.services.grouping_core import assign, balance_score  # noqa: E402
from tests.factories.grouping import synthetic_people, synthetic_slots  # noqa: E402

PEOPLE, GROUPS, CAPACITY = 2000, 40, 55


def random_assignment(people, slots, seed):
    rng = random.Random(seed)
    places = [s.id for s in slots for _ in range(s.capacity)]
    rng.shuffle(places)
    return {p.id: places[i] for i, p in enumerate(people)}


def main() -> None:
    slots = synthetic_slots(GROUPS, CAPACITY)
    people = synthetic_people(PEOPLE, [s.id for s in slots])
    runs, cpu = [], []
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = assign(people=people, slots=slots)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    score = balance_score(people=people, slots=slots, assignment=result)
    randoms = [
        balance_score(people=people, slots=slots, assignment=random_assignment(people, slots, s))
        for s in range(5)
    ]
    print(f"assignment of {PEOPLE} people into {GROUPS} groups (capacity {CAPACITY} each)")
    print(
        f"time: best {min(runs):.2f} s, median {statistics.median(runs):.2f} s "
        f"over {len(runs)} runs (CPU time: best {min(cpu):.2f} s; wall time grows when "
        "other processes share the cores)"
    )
    print(f"balance score: {score:.1f} (random assignments: mean {statistics.mean(randoms):.1f})")


if __name__ == "__main__":
    main()
