"""Several workers on one queue send each outbox message once; long jobs wait on their own
queue without delaying email. Real workers, Redis and SMTP."""

import time
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import redis

from participants.notifications import services as notifications
from participants.notifications.tasks import task_queue_daily_digests
from participants.registration.services.registration import approve_registration
from sanjose.outbox.models import OutboxMessage
from sanjose.outbox.tasks import task_send_message
from tests.factories import (
    EventDayFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

from .conftest import wait_for
from .test_outbox_worker import approved_delegates

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ZONE = ZoneInfo("America/Costa_Rica")
MESSAGES = 500
SEND = "sanjose.outbox.tasks.task_send_message"


def _event_with_a_day():
    event = EventFactory(name="San José Dialogue")
    tuesday = EventDayFactory(event=event, date=date(2024, 6, 4))
    SessionFactory(event=event, day=tuesday, title_en="Opening plenary")
    return event


def test_two_workers_send_500_messages_each_exactly_once(workers, mailbox, monkeypatch):
    event = _event_with_a_day()
    people = approved_delegates(event=event, count=MESSAGES)
    first, second = workers.start(queues="default"), workers.start(queues="default")
    monkeypatch.setattr("sanjose.clock.now", lambda: datetime(2024, 6, 3, 18, 5, tzinfo=ZONE))

    assert notifications.queue_daily_digests() == MESSAGES
    # Every task is delivered twice, as a re-queue by the sweep or a lost ack would do.
    for message_id in OutboxMessage.objects.values_list("pk", flat=True):
        task_send_message.delay(message_id)

    wait_for(
        lambda: len(mailbox.received("Your day tomorrow")) >= MESSAGES,
        timeout=300,
        what="500 digests in the mailbox",
        interval=1,
    )
    wait_for(
        lambda: workers.succeeded(first, SEND) + workers.succeeded(second, SEND) >= 2 * MESSAGES,
        timeout=120,
        what="both workers to run every task",
        interval=1,
    )
    time.sleep(2)  # time for a stray duplicate to arrive before counting

    received = Counter(message["To"] for message in mailbox.received("Your day tomorrow"))
    assert received == Counter({person.user.email: 1 for person in people})
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert workers.succeeded(first, SEND) > 0 and workers.succeeded(second, SEND) > 0


def test_long_jobs_waiting_on_their_queue_never_delay_a_confirmation(workers, mailbox, broker):
    event = _event_with_a_day()
    workers.start(queues="default")  # nobody serves `bulk` in this test
    for _ in range(50):
        task_queue_daily_digests.delay()

    registration = RegistrationFactory(event=event, participant__user__email="new@example.org")
    approve_registration(registration=registration, by=UserFactory(is_staff=True))

    [approval] = wait_for(
        lambda: mailbox.received("Your registration"), timeout=60, what="the approval email"
    )
    assert approval["To"] == "new@example.org"
    assert redis.Redis.from_url(broker).llen("bulk") == 50
