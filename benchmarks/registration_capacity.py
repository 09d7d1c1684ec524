"""1,000 simultaneous registrations for 300 places on the open day: never one too many.

Run from the project root against PostgreSQL (it makes and drops its own throwaway
database, `test_<name>`):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanjose .venv/bin/python \
        benchmarks/registration_capacity.py
(or `make benchmarks`). Count-then-insert confirmed 303 to 306 here; the conditional
UPDATE on the type's counter must confirm exactly 300 and waitlist 700.
"""

import logging
import os
import pathlib
import sys
import threading
import time

import django

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")
os.environ.setdefault("SANJOSE_TESTING", "true")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ATTEMPTS, PLACES, THREADS = 1000, 300, 25


def people(count: int):
    from participants.models import Participant

    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"bench{n}@example.org", email=f"bench{n}@example.org") for n in range(count)
    )
    return Participant.objects.bulk_create(
        Participant(
            user=user, badge_name=f"Guest Example {n:04d}", organisation="Example", country="CR"
        )
        for n, user in enumerate(users)
    )


def run() -> None:
    from events.models import Event
    from participants.models import Registration, RegistrationType
    from participants.registration.services.registration import register

    event = Event.objects.create(
        name="Benchmark",
        slug="benchmark",
        start_date="2024-06-03",
        end_date="2024-06-07",
        city="San José",
        country="CR",
    )
    open_day = RegistrationType.objects.create(
        event=event, slug="open-day", name_en="Open Day", is_public=True, capacity=PLACES
    )
    participants = people(ATTEMPTS)
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker(index: int) -> None:
        barrier.wait()
        try:
            for participant in participants[index::THREADS]:
                register(participant=participant, registration_type=open_day, by=None)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    approved = Registration.objects.filter(status="approved").count()
    waitlisted = Registration.objects.filter(status="waitlisted").count()
    positions = set(
        Registration.objects.filter(status="waitlisted").values_list("waitlist_position", flat=True)
    )
    print(f"{ATTEMPTS} registrations from {THREADS} threads for {PLACES} places")
    print(f"approved {approved}, waitlisted {waitlisted}, errors {len(errors)}")
    print(f"unique waitlist positions: {len(positions) == waitlisted}")
    print(f"time: {elapsed:.1f} s ({ATTEMPTS / elapsed:.0f} registrations/s, emails queued too)")
    if errors or approved != PLACES or waitlisted != ATTEMPTS - PLACES:
        sys.exit(1)


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    logging.disable(logging.INFO)  # one line per email sent otherwise
    settings.CELERY_TASK_ALWAYS_EAGER = True
    setup_test_environment()  # locmem email: nothing leaves the machine
    from sanjose.celery import app

    app.conf.task_always_eager = True
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
