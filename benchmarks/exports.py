"""Benchmark: attendee exports of 2,000 and 10,000 registrations, CSV and XLSX.

Prints, for each size and format: seconds, SQL queries, peak Python memory while the
file is produced (tracemalloc), and the file's size. The CSV is streamed, so its peak
must stay flat as the list grows; both must use the same few queries at every size.

Runs in a throw-away database (bench_<NAME> of DATABASE_URL), never the real one:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanjose .venv/bin/python benchmarks/exports.py
"""

import os
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

SIZES = [2_500, 5_000, 10_000]
ZONE = ZoneInfo("America/Costa_Rica")
COLUMNS = [
    "name",
    "email",
    "organisation",
    "sector",
    "country",
    "subregion",
    "type",
    "status",
    "days",
    "groups",
    "dietary",
    "accessibility",
    "registered_at",
    "checked_in",
]


def build_event():
    from events.models import Event, EventDay
    from participants.models import Group, RegistrationType

    event = Event.objects.create(
        name="Benchmark Dialogue",
        slug="benchmark",
        start_date=date(2024, 6, 3),
        end_date=date(2024, 6, 7),
        city="San José",
        country="CR",
        is_current=True,
    )
    days = [
        EventDay.objects.create(event=event, date=event.start_date + timedelta(n)) for n in range(5)
    ]
    registration_type = RegistrationType.objects.create(
        event=event, slug="full", name_en="Full", grants_participant_access=True
    )
    registration_type.days.set(days)
    groups = [
        Group.objects.create(event=event, name=f"Working group {n}", kind="working")
        for n in range(8)
    ]
    return event, registration_type, days, groups


def add_attendees(start: int, stop: int, event, registration_type, days, groups) -> None:
    """Invented attendees, written in bulk: a user, profile, approved registration,
    a group and a check-in each (what makes the export's joins do real work)."""
    from participants.models import CheckIn, Membership, Participant, Registration

    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{n}", email=f"bench{n}@example.org", password="!")
        for n in range(start, stop)
    )
    participants = Participant.objects.bulk_create(
        Participant(
            user=user,
            badge_name=f"Delegate Example {start + i:05d}",
            organisation=f"Example Network {i % 50}",
            sector="civil_society",
            country=["CR", "MX", "BR", "JM", "US"][i % 5],
            subregion="central_america_mexico",
            dietary_needs="Vegetarian" if i % 7 == 0 else "",
        )
        for i, user in enumerate(users)
    )
    registrations = Registration.objects.bulk_create(
        Registration(participant=p, event=event, type=registration_type, status="approved")
        for p in participants
    )
    Membership.objects.bulk_create(
        Membership(participant=p, group=groups[i % len(groups)]) for i, p in enumerate(participants)
    )
    morning = datetime.combine(days[0].date, datetime.min.time(), ZONE) + timedelta(hours=8)
    CheckIn.objects.bulk_create(
        CheckIn(registration=r, day=days[0].date, checked_in_at=morning) for r in registrations
    )


def measure(client: Client, fmt: str) -> dict:
    url = f"/staff/exports/attendees.{fmt}"
    query = {"status": "approved", "columns": COLUMNS}
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        response = client.get(url, query)
        size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    tracemalloc.reset_peak()
    response = client.get(url, query)
    for _chunk in response.streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": seconds, "queries": len(queries), "peak": peak, "bytes": size}


def main() -> None:
    setup_test_environment()
    settings.DEBUG = False  # no per-query log kept in memory
    database = settings.DATABASES["default"]
    database["TEST"]["NAME"] = f"bench_{database['NAME']}"  # not the test suite's
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        event, registration_type, days, groups = build_event()
        staff = get_user_model().objects.create(username="bench-staff", is_staff=True)
        client = Client()
        client.force_login(staff)
        print(f"database: {connection.vendor}; columns: {len(COLUMNS)}")
        print(f"{'rows':>7} {'format':>6} {'seconds':>8} {'queries':>8} {'peak MiB':>9} {'KiB':>7}")
        made = 0
        for size in SIZES:
            add_attendees(made, size, event, registration_type, days, groups)
            made = size
            for fmt in ("csv", "xlsx"):
                m = measure(client, fmt)
                print(
                    f"{size:>7} {fmt:>6} {m['seconds']:>8.2f} {m['queries']:>8} "
                    f"{m['peak'] / 2**20:>9.2f} {m['bytes'] / 2**10:>7.0f}"
                )
    finally:
        teardown_databases(databases, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
