"""Time /agenda/, /me/schedule/ and the feeds on the demo programme and on 300 sessions.

Run with `make benchmarks` (or DATABASE_URL=... REDIS_URL=... python benchmarks/agenda.py).
It works in a throwaway test database, so it never touches real data.
"""

import os
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")
os.environ.setdefault("SANJOSE_TESTING", "true")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = 20


def measure(client: Client, url: str, *, cold: bool) -> tuple[float, int]:
    timings, queries = [], 0
    for _ in range(RUNS):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return median(timings) * 1000, queries


def add_sessions(event, total: int) -> None:
    """Copies of the demo's sessions on the same days until the programme has `total`."""
    from events.models import Session

    originals = list(Session.objects.filter(event=event))
    copies, n = [], 0
    while len(originals) + len(copies) < total:
        source = originals[n % len(originals)]
        shift = timedelta(minutes=5 * (n // len(originals) + 1))
        copies.append(
            Session(
                event=event,
                day=source.day,
                room=None,
                starts_at=source.starts_at + shift,
                ends_at=source.ends_at + shift,
                title_en=f"{source.title_en} (copy {n})",
                kind=source.kind,
                audience=source.audience,
            )
        )
        n += 1
    Session.objects.bulk_create(copies)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", "--admin-password", "benchmark-password", stdout=StringIO())
        from events.models import Event, Session
        from participants.models import Registration

        event = Event.objects.current()
        member = Registration.objects.filter(event=event, status="approved").first().participant
        for label, total in [("demo", 0), ("300 sessions", 300)]:
            if total:
                add_sessions(event, total)
            count = Session.objects.filter(event=event).count()
            anonymous, signed_in = Client(), Client()
            signed_in.force_login(member.user)
            print(f"-- {label}: {count} sessions")
            for name, client, url, cold in [
                ("/agenda/ anonymous, cache cold", anonymous, "/agenda/", True),
                ("/agenda/ anonymous, cache warm", anonymous, "/agenda/", False),
                ("/agenda/ approved participant", signed_in, "/agenda/", True),
                ("/me/schedule/", signed_in, "/me/schedule/", True),
                ("/agenda.ics", anonymous, "/agenda.ics", True),
                (
                    "/calendar/<token>.ics",
                    anonymous,
                    f"/calendar/{member.calendar_token}.ics",
                    True,
                ),
            ]:
                ms, queries = measure(client, url, cold=cold)
                print(f"{name:<34} {ms:7.1f} ms (median of {RUNS})  {queries:3d} queries")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
