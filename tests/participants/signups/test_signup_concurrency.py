"""Session seats under a rush, on PostgreSQL: threads, each its own connection."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from events.models import Session
from participants.models import Registration, SessionSignup
from participants.signups import services
from tests.factories import RegistrationFactory, SessionFactory

S = SessionSignup.Status
# At most this many threads hold a database connection at once: the server's 100
# connections are shared with other test runs on this machine.
CONNECTIONS = 25


def run_at_once(count: int, work) -> list[BaseException]:
    """Start `count` threads that all call work(i) as soon as every thread is ready."""
    barrier = threading.Barrier(count)
    slots = threading.BoundedSemaphore(CONNECTIONS)
    errors: list[BaseException] = []

    def target(i: int) -> None:
        barrier.wait()
        with slots:
            try:
                work(i)
            except BaseException as error:  # collected and asserted on
                errors.append(error)
            finally:
                connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


@pytest.mark.django_db(transaction=True)
def test_a_hundred_simultaneous_signups_for_twenty_seats(monkeypatch):
    assert connection.vendor == "postgresql"
    monkeypatch.setattr(
        "sanjose.clock.now", lambda: datetime(2024, 6, 1, tzinfo=ZoneInfo("America/Costa_Rica"))
    )
    workshop = SessionFactory(signup_required=True, capacity=20, title_en="Field visit")
    people = [
        RegistrationFactory(event=workshop.event, status=Registration.Status.APPROVED).participant
        for _ in range(100)
    ]

    errors = run_at_once(100, lambda i: services.sign_up(participant=people[i], session=workshop))

    assert errors == []
    statuses = list(SessionSignup.objects.values_list("status", flat=True))
    assert (statuses.count(S.CONFIRMED), statuses.count(S.WAITLISTED)) == (20, 80)
    positions = SessionSignup.objects.filter(status=S.WAITLISTED).values_list(
        "waitlist_position", flat=True
    )
    assert sorted(positions) == list(range(1, 81))
    workshop.refresh_from_db()
    assert (workshop.signup_count, workshop.last_signup_waitlist_position) == (20, 80)

    confirmed = list(SessionSignup.objects.filter(status=S.CONFIRMED)[:5])
    first_five = list(
        SessionSignup.objects.filter(status=S.WAITLISTED).order_by("waitlist_position")[:5]
    )
    errors = run_at_once(5, lambda i: services.cancel_signup(signup=confirmed[i]))

    assert errors == []
    assert SessionSignup.objects.filter(status=S.CONFIRMED).count() == 20
    assert set(SessionSignup.objects.filter(status=S.CONFIRMED).values_list("pk", flat=True)) >= {
        s.pk for s in first_five
    }
    assert Session.objects.get(pk=workshop.pk).signup_count == 20
