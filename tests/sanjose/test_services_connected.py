"""The suite runs on the real services: PostgreSQL and Redis, not stand-ins."""

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 120000


def test_cache_is_the_real_redis():
    # Redis, through the wrapper that degrades to a local cache when Redis is away.
    assert settings.CACHES["default"]["BACKEND"] == "sanjose.cache.ResilientRedisCache"
    cache.set("sanjose-probe", {"n": 1}, 30)

    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.ping() is True
    assert cache.get("sanjose-probe") == {"n": 1}
    assert any(b"sanjose-probe" in key for key in client.keys("*sanjose-probe*"))


def test_celery_broker_is_redis():
    from sanjose.celery import app

    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1
