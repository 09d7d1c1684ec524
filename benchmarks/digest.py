"""Time the daily digest for 5,000 participants and count its queries.

Run from the project root: `.venv/bin/python benchmarks/digest.py` (or `make benchmarks`).
It migrates the configured database if needed, builds an event day with 5,000 approved
participants (working groups, a closed group, sign-ups, World Café seats, new documents)
inside a transaction, prepares and queues every digest, prints the figures, and rolls
everything back: the database is left as it was and no email is sent.
"""

import os
import pathlib
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import django

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")
django.setup()  # the crowd is built by the test factories

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from participants.notifications import services as notifications  # noqa: E402
from sanjose.outbox.services import queue_prepared_emails  # noqa: E402
from tests.factories.notifications import digest_crowd  # noqa: E402

PARTICIPANTS = int(os.environ.get("DIGEST_PARTICIPANTS", "5000"))
EVENING = datetime(2024, 6, 3, 18, 5, tzinfo=ZoneInfo("America/Costa_Rica"))


class RolledBack(Exception):
    pass


def main() -> None:
    call_command("migrate", verbosity=0)
    try:
        with transaction.atomic():
            started = time.perf_counter()
            crowd = digest_crowd(count=PARTICIPANTS, start=900_000)
            built = time.perf_counter() - started

            with CaptureQueriesContext(connection) as preparing:
                started = time.perf_counter()
                emails = notifications.prepare_daily_digests(day=crowd["day"])
                prepared = time.perf_counter() - started
            with CaptureQueriesContext(connection) as queueing:
                started = time.perf_counter()
                queued = queue_prepared_emails(emails=emails)
                written = time.perf_counter() - started

            print(f"daily digest for {PARTICIPANTS} participants ({connection.vendor})")
            print(f"test data built in {built:.1f} s")
            print(
                f"prepared {len(emails)} digests in {prepared:.2f} s "
                f"({prepared / len(emails) * 1000:.2f} ms each), {len(preparing)} queries"
            )
            print(
                f"wrote {queued} outbox rows in {written:.2f} s, {len(queueing)} queries "
                f"(bulk insert, batches of 500)"
            )
            raise RolledBack
    except RolledBack:
        pass


if __name__ == "__main__":
    main()
