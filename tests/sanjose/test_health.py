import time
from datetime import timedelta

import pytest
from django.utils import timezone

from sanjose.outbox.models import OutboxMessage
from sanjose.tasks import task_beat_heartbeat


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_redis_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "redis": "ok", "storage": "ok"}
    assert body["failing"] == []
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_naming_redis_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failing"] == ["redis"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error")


@pytest.mark.django_db
def test_healthz_says_redis_not_configured_on_the_embedded_default(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "not configured"


@pytest.mark.django_db
def test_liveness_asks_no_dependency(client, settings, django_assert_num_queries):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    with django_assert_num_queries(0):
        response = client.get("/healthz/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_is_the_healthz_of_the_url_map(client):
    assert client.get("/healthz/ready").json()["checks"] == client.get("/healthz").json()["checks"]


@pytest.mark.django_db
def test_readiness_reports_queue_depths_and_the_oldest_unsent_email(client, settings):
    import redis

    broker = redis.Redis.from_url(settings.REDIS_URL)
    mass = "default\x06\x169"  # kombu's list for priority 9: the outbox's mass mailings
    broker.delete("default", "bulk", mass)
    broker.rpush("bulk", "a", "b", "c")
    broker.rpush(mass, "d", "e")
    message = OutboxMessage.objects.create(
        recipient="someone@example.org", kind="test", object_key="1", occasion="x",
        subject="s", body_text="t",
    )  # fmt: skip
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=7)
    )
    try:
        body = client.get("/healthz/ready").json()
    finally:
        broker.delete("default", "bulk", mass)

    assert body["queues"] == {"default": 2, "bulk": 3}
    assert 419 <= body["oldest_unsent_email_seconds"] <= 430
    assert body["status"] == "ok"  # a backlog is worth an alert, not leaving the rotation


@pytest.mark.django_db
def test_readiness_shows_the_age_of_the_beat_heartbeat(client):
    assert client.get("/healthz/ready").json()["beat_heartbeat_seconds"] is None

    task_beat_heartbeat.delay()
    time.sleep(1.1)

    assert client.get("/healthz/ready").json()["beat_heartbeat_seconds"] >= 1
