"""The outbox end to end: a real Celery worker, Redis and SMTP. A killed worker loses no
email and the sweep doubles none."""

import time
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from participants.models import Participant, Registration
from participants.notifications import services as notifications
from participants.registration.services.registration import approve_registration
from sanjose.outbox import services as outbox
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventDayFactory,
    EventFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    UserFactory,
)

from .conftest import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]
ZONE = ZoneInfo("America/Costa_Rica")
BATCH = 200
KILL_AT = 60  # the worker dies while sending the 60th digest
WAIT = 120


def approved_delegates(*, event, count: int) -> list[Participant]:
    """`count` approved participants, written in bulk (no password hashing)."""
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"delegate{n:03}", email=f"delegate{n:03}@example.org") for n in range(count)
    )
    people = Participant.objects.bulk_create(
        Participant(
            user=user, badge_name=f"Delegate Example {n:03}", organisation="Example Network",
            sector="civil_society", country="CR",
        )
        for n, user in enumerate(users)
    )  # fmt: skip
    registration_type = RegistrationTypeFactory(event=event)
    Registration.objects.bulk_create(
        Registration(
            participant=person, event=event, type=registration_type,
            status=Registration.Status.APPROVED,
        )
        for person in people
    )  # fmt: skip
    return people


def test_approval_arrives_and_a_killed_worker_neither_loses_nor_doubles_digests(
    workers, mailbox, monkeypatch
):
    event = EventFactory(name="San José Dialogue")
    tuesday = EventDayFactory(event=event, date=date(2024, 6, 4))
    SessionFactory(event=event, day=tuesday, title_en="Opening plenary")
    first = workers.start()

    # Staff approve a registration: the email is queued on commit and sent by the worker.
    registration = RegistrationFactory(event=event, participant__user__email="approved@example.org")
    approve_registration(registration=registration, by=UserFactory(is_staff=True))
    [approval] = wait_for(
        lambda: mailbox.received("Your registration"), timeout=WAIT, what="the approval email"
    )
    assert approval["To"] == "approved@example.org"
    assert approval["Subject"] == "Your registration for San José Dialogue is approved"
    assert approval.is_multipart()

    # 200 digests (the approved person and 199 more); the worker is SIGKILLed in the
    # middle of the batch.
    people = [registration.participant, *approved_delegates(event=event, count=BATCH - 1)]
    mailbox.hold_at(1 + KILL_AT)
    evening = datetime(2024, 6, 3, 18, 5, tzinfo=ZONE)
    monkeypatch.setattr("sanjose.clock.now", lambda: evening)
    assert notifications.queue_daily_digests() == BATCH
    assert mailbox.held.wait(WAIT), "the worker never reached the held digest"
    workers.kill(first)
    mailbox.release.set()
    assert len(mailbox.received("Your day tomorrow")) == KILL_AT - 1
    assert OutboxMessage.objects.filter(kind="daily_digest", status="sending").count() == 1

    # A new worker takes the rest; the sweep, once the stuck row has timed out, settles
    # it back to pending and queues it again.
    workers.start()
    wait_for(
        lambda: (
            OutboxMessage.objects.filter(kind="daily_digest", status="sent").count() >= BATCH - 1
        ),
        timeout=WAIT,
        what="the new worker to send the rest of the batch",
    )
    # The workers keep real time; the sweep runs as if the timeout had passed.
    later = timezone.now() + outbox.SENDING_STALE_AFTER + timedelta(minutes=1)
    monkeypatch.setattr("sanjose.clock.now", lambda: later)
    assert outbox.sweep_outbox() == {"failed": 0, "settled": 1, "requeued": 1}
    wait_for(
        lambda: len(mailbox.received("Your day tomorrow")) >= BATCH,
        timeout=WAIT,
        what="all digests in the mailbox",
    )

    time.sleep(3)  # time for a stray duplicate to arrive before counting
    received = Counter(message["To"] for message in mailbox.received("Your day tomorrow"))
    assert received == Counter({person.user.email: 1 for person in people})
    assert set(
        OutboxMessage.objects.filter(kind="daily_digest").values_list("status", flat=True)
    ) == {"sent"}
    assert len(mailbox.received("Your registration")) == 1
