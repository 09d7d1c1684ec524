"""Faults of the real services: Redis unreachable (cache, rate limits, broker), and
the database connection killed from PostgreSQL's side in the middle of a request.

Redis away must never become a server error: pages render without the cache, rate
limits count in a local fallback, a registration is saved and its email waits in the
outbox for the sweep. /healthz keeps telling the truth (503, naming redis).
"""

import logging
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from participants.models import Registration
from sanjose import cache as resilient
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    ParticipantFactory,
    RegistrationTypeFactory,
    SessionFactory,
    UserFactory,
)

from .faults_support import RedisServer, celery_publishing_to, free_port, redis_cache_settings


@pytest.fixture
def redis_down(settings):
    """Cache, broker and health check pointed at a port where nothing listens."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = redis_cache_settings(url)
    with celery_publishing_to(url):
        yield url


@pytest.fixture
def event():
    event = EventFactory(name="San José Dialogue", is_current=True)
    SessionFactory(event=event, title_en="Opening plenary", audience="public")
    return event


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
# The event is saved before the outage starts (a save bumps the page cache's version in
# Redis, which would count as the outage's first failure).
def test_agenda_and_public_feed_answer_while_redis_is_down(event, redis_down, visitor, caplog):
    with caplog.at_level(logging.ERROR, logger="sanjose.cache"):
        pages = [visitor.get("/agenda/"), visitor.get("/agenda.ics"), visitor.get("/agenda/")]

    assert [p.status_code for p in pages] == [200, 200, 200]
    assert b"Opening plenary" in pages[0].content
    assert b"BEGIN:VCALENDAR" in pages[1].content
    outage_logs = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(outage_logs) == 1  # once per outage, not once per operation


@pytest.mark.django_db
def test_login_answers_and_the_rate_limit_still_counts_while_redis_is_down(redis_down, visitor):
    from allauth.account.models import EmailAddress

    user = UserFactory(username="delegate@example.org", email="delegate@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    wrong = {"login": "delegate@example.org", "password": "wrong"}

    attempts = [visitor.post("/accounts/login/", wrong) for _ in range(5)]
    last = visitor.post(
        "/accounts/login/", {"login": "delegate@example.org", "password": "correct-horse-battery"}
    )

    assert [a.status_code for a in attempts] == [200] * 5
    assert "Too many failed login attempts" in last.content.decode()
    assert "_auth_user_id" not in visitor.session


@pytest.mark.django_db
def test_a_good_login_works_while_redis_is_down(redis_down, visitor):
    from allauth.account.models import EmailAddress

    user = UserFactory(username="delegate@example.org", email="delegate@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = visitor.post(
        "/accounts/login/", {"login": "delegate@example.org", "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert visitor.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_healthz_still_answers_503_naming_redis(redis_down, visitor):
    response = visitor.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_a_registration_while_redis_is_down_is_saved_and_left_for_the_sweep(
    redis_down, event, visitor, caplog
):
    open_day = RegistrationTypeFactory(event=event, slug="open-day", is_public=True, capacity=5)
    participant = ParticipantFactory()
    visitor.force_login(participant.user)

    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="sanjose.queueing"):
        response = visitor.post("/register/", {"type": open_day.pk})
    took = time.monotonic() - started

    assert response.status_code == 302
    assert response["Location"] == "/me/"
    registration = Registration.objects.get(participant=participant)
    assert registration.status == Registration.Status.APPROVED
    [message] = OutboxMessage.objects.filter(recipient=participant.user.email)
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 0)
    assert any("not queued" in r.getMessage() for r in caplog.records)
    assert participant.user.email not in caplog.text  # no personal data in the log
    assert took < 10
    assert visitor.get("/me/").status_code == 200


def test_the_cache_drops_what_changed_during_an_outage_when_redis_returns(tmp_path, settings):
    """A value cached before the outage must not outlive a change made during it: the
    agenda's generation key is set on every agenda change, and a stale one would show
    the old programme for an hour once Redis is back with its old data."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = redis_cache_settings(server.url)
    plain = RedisCache(server.url, {"KEY_PREFIX": "faults"})  # another process's view
    try:
        cache.set("agenda-generation", "before", timeout=None)
        server.stop()
        cache.set("agenda-generation", "during", timeout=None)  # lands in the fallback
        assert cache.get("agenda-generation") == "during"
        server.start()
        plain.set("agenda-generation", "before", timeout=None)  # back with its old data
        time.sleep(resilient.RETRY_AFTER + 0.2)

        assert cache.get("agenda-generation") is None  # dropped: the next reader renews it
        assert plain.get("agenda-generation") is None
        cache.set("agenda-generation", "after", timeout=None)
        assert plain.get("agenda-generation") == "after"
    finally:
        server.stop()


def test_a_blackholed_redis_costs_one_timeout_not_one_per_operation(settings):
    """After a failure the cache leaves Redis alone for a few seconds."""
    settings.CACHES = redis_cache_settings(f"redis://127.0.0.1:{free_port()}/0")
    cache.get("warm-up")  # the failure that opens the circuit

    started = time.monotonic()
    for n in range(200):
        cache.set(f"key-{n}", n)
        assert cache.get(f"key-{n}") == n
    assert time.monotonic() - started < 1


def test_tasks_are_queued_only_through_the_guarded_helper():
    """A bare `.delay()` in a request would turn a broker fault into a server error after
    commit: every app queues through sanjose.queueing (which logs and leaves the work to
    its sweep)."""
    root = Path(settings.BASE_DIR)
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for app in ("sanjose", "events", "participants", "documents")
        for path in sorted((root / app).rglob("*.py"))
        if path.name != "queueing.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.(delay|apply_async|send_task)\(", line)
    ]

    assert offenders == []
