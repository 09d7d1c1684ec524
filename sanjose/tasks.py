"""Project-level periodic job: the beat's heartbeat, read by /healthz/ready."""

import time

from celery import shared_task
from django.core.cache import cache

BEAT_HEARTBEAT_KEY = "sanjose:beat:heartbeat"


@shared_task(acks_late=True, time_limit=30, soft_time_limit=20, ignore_result=True)
def task_beat_heartbeat() -> float:
    """Records when the scheduler last had a job run (the readiness check shows its age)."""
    now = time.time()
    cache.set(BEAT_HEARTBEAT_KEY, now, timeout=None)
    return now
