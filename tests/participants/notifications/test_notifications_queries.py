"""The daily digest is prepared in a fixed number of queries, whatever the crowd."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.notifications import services as notifications
from sanjose.outbox.models import OutboxMessage
from sanjose.outbox.services import queue_prepared_emails
from tests.factories.notifications import digest_crowd

pytestmark = pytest.mark.django_db
EVENING = datetime(2024, 6, 3, 18, 5, tzinfo=ZoneInfo("America/Costa_Rica"))


def digest_queries(count: int) -> tuple[int, int, int]:
    """Queries to prepare, queries to prepare and queue, and digests queued."""
    crowd = digest_crowd(count=count, start=count * 1000)
    with CaptureQueriesContext(connection) as preparing:
        emails = notifications.prepare_daily_digests(day=crowd["day"])
    assert len(emails) == count
    OutboxMessage.objects.all().delete()
    with CaptureQueriesContext(connection) as queueing:
        queued = queue_prepared_emails(emails=notifications.prepare_daily_digests(day=crowd["day"]))
    return len(preparing), len(queueing), queued


def test_digest_query_count_does_not_grow_with_participants(monkeypatch):
    monkeypatch.setattr("sanjose.clock.now", lambda: EVENING)

    small_prepare, small_queue, small_queued = digest_queries(8)
    large_prepare, large_queue, large_queued = digest_queries(80)

    assert (small_queued, large_queued) == (8, 80)
    assert small_prepare == large_prepare
    assert small_queue == large_queue
    assert large_prepare <= 15


def test_digests_are_queued_in_batches_and_a_stopped_run_resumes(monkeypatch):
    monkeypatch.setattr("sanjose.clock.now", lambda: EVENING)
    monkeypatch.setattr(notifications, "DIGEST_BATCH", 3)
    crowd = digest_crowd(count=8)
    # A first run stopped after one batch (its time limit) ...
    queue_prepared_emails(emails=notifications.prepare_daily_digests(day=crowd["day"], limit=3))

    # ... the next run queues the rest, three at a time, and nobody twice.
    assert notifications.queue_daily_digests() == 5
    assert sorted(OutboxMessage.objects.values_list("recipient", flat=True)) == sorted(
        p.user.email for p in crowd["people"]
    )
