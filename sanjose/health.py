"""Health for load balancers and monitoring.

- `/healthz/live`: the process answers (no dependency is asked): restart it if not.
- `/healthz/ready` and `/healthz` (the URL map's): 200 when the database, Redis and the
  file storage answer, 503 naming what fails; take the instance out of rotation if not.
  It also reports the queue depths, the age of the oldest unsent email and of the beat's
  last heartbeat: worth an alert, but not a reason to stop serving pages.
"""

import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from sanjose.outbox.models import OutboxMessage
from sanjose.tasks import BEAT_HEARTBEAT_KEY

UNSENT = [OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING]


def _error(error: Exception) -> str:
    return f"error: {type(error).__name__}"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return _error(error)
    return "ok"


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        _redis().ping()
    except Exception as error:
        return _error(error)
    return "ok"


def check_storage() -> str:
    """One cheap call to the file storage (a local folder or the object store)."""
    try:
        default_storage.exists("healthz-probe")
    except Exception as error:
        return _error(error)
    return "ok"


# Kombu keeps each priority step of a queue in a Redis list of its own (kombu's default
# steps and separator): mass mailings wait in "default\x06\x169" (outbox BULK_PRIORITY).
PRIORITY_STEPS = (3, 6, 9)
PRIORITY_SEPARATOR = "\x06\x16"


def queue_depths() -> dict[str, int] | str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        client = _redis()
        return {
            queue.name: sum(
                client.llen(key)
                for key in [
                    queue.name,
                    *(f"{queue.name}{PRIORITY_SEPARATOR}{step}" for step in PRIORITY_STEPS),
                ]
            )
            for queue in settings.CELERY_TASK_QUEUES
        }
    except Exception as error:
        return _error(error)


def oldest_unsent_seconds() -> int | None | str:
    try:
        oldest = (
            OutboxMessage.objects.filter(status__in=UNSENT)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
    except Exception as error:
        return _error(error)
    return None if oldest is None else int((timezone.now() - oldest).total_seconds())


def beat_heartbeat_seconds() -> int | None | str:
    try:
        last = cache.get(BEAT_HEARTBEAT_KEY)
    except Exception as error:
        return _error(error)
    return None if last is None else int(time.time() - last)


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database(), "redis": check_redis(), "storage": check_storage()}
    failing = sorted(name for name, state in checks.items() if state.startswith("error"))
    body = {
        "status": "error" if failing else "ok",
        "checks": checks,
        "failing": failing,
        "queues": queue_depths(),
        "oldest_unsent_email_seconds": oldest_unsent_seconds(),
        "beat_heartbeat_seconds": beat_heartbeat_seconds(),
    }
    return JsonResponse(body, status=503 if failing else 200)


healthz = ready
