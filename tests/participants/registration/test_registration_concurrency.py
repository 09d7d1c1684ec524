"""Capacity under simultaneous requests, on PostgreSQL: threads, each its own connection."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from participants.models import Registration, RegistrationType
from participants.registration.services import registration as services
from tests.factories import EventFactory, ParticipantFactory, RegistrationTypeFactory

S = Registration.Status


def run_at_once(count: int, work) -> list[BaseException]:
    """Start `count` threads that call work(i) together; return what they raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def target(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        except BaseException as error:  # collected and asserted on
            errors.append(error)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_for_ten_places():
    """50 people press "Register" together on the open day's 10 places: no error page."""
    assert connection.vendor == "postgresql"
    event = EventFactory(is_current=True)
    open_day = RegistrationTypeFactory(event=event, is_public=True, capacity=10)
    people = ParticipantFactory.create_batch(50)

    statuses_seen: list[int] = []

    def register_through_the_page(i: int) -> None:
        client = Client()
        client.force_login(people[i].user)
        response = client.post("/register/", {"type": open_day.pk})
        statuses_seen.append(response.status_code)
        assert response.headers["Location"] == "/me/"

    errors = run_at_once(50, register_through_the_page)

    assert errors == []
    assert statuses_seen == [302] * 50
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count(S.APPROVED) == 10
    assert statuses.count(S.WAITLISTED) == 40
    positions = list(
        Registration.objects.filter(status=S.WAITLISTED).values_list("waitlist_position", flat=True)
    )
    assert sorted(positions) == list(range(1, 41))
    assert RegistrationType.objects.get(pk=open_day.pk).approved_count == 10

    first_waiting = Registration.objects.filter(status=S.WAITLISTED).order_by("waitlist_position")[
        0
    ]
    approved = Registration.objects.filter(status=S.APPROVED).select_related("participant")[0]
    services.cancel_registration(registration=approved, by=approved.participant.user)

    assert Registration.objects.filter(status=S.APPROVED).count() == 10
    assert Registration.objects.filter(status=S.WAITLISTED).count() == 39
    first_waiting.refresh_from_db()
    assert first_waiting.status == S.APPROVED


@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_promote_one_each_and_never_overbook():
    event = EventFactory(is_current=True)
    open_day = RegistrationTypeFactory(event=event, is_public=True, capacity=10)
    people = ParticipantFactory.create_batch(30)
    for person in people:
        services.register(participant=person, registration_type=open_day, by=person.user)
    approved = list(Registration.objects.filter(status=S.APPROVED).select_related("participant"))

    errors = run_at_once(
        5,
        lambda i: services.cancel_registration(
            registration=approved[i], by=approved[i].participant.user
        ),
    )

    assert errors == []
    assert Registration.objects.filter(status=S.APPROVED).count() == 10
    assert Registration.objects.filter(status=S.CANCELLED).count() == 5
    assert Registration.objects.filter(status=S.WAITLISTED).count() == 15
    assert RegistrationType.objects.get(pk=open_day.pk).approved_count == 10
