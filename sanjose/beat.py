"""Exactly one scheduler, however many `celery beat` processes run.

Each beat tries to hold one lease in Redis (`SET NX PX`, renewed by its owner only); the
beat that holds it sends the periodic jobs, any other waits and takes over when the lease
expires (its holder died or lost Redis). Every job is idempotent through the outbox key as
well, so a take-over that overlaps by one tick still sends no email twice.

Started as `celery -A sanjose beat --scheduler sanjose.beat:SingleBeatScheduler`.
"""

import contextlib
import logging
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LEASE_KEY = "sanjose:beat:leader"

# Renew only a lease we still own: GET and PEXPIRE in one step.
RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""


class Lease:
    """A Redis lease held by one owner for `seconds`, renewed while it stays alive."""

    def __init__(self, *, url: str, seconds: float, key: str = LEASE_KEY):
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self.key = key
        self.milliseconds = int(seconds * 1000)
        self.owner = uuid.uuid4().hex
        self.held = False

    def hold(self) -> bool:
        """True while this process owns the lease (taking it when it is free)."""
        try:
            renewed = self.client.eval(RENEW, 1, self.key, self.owner, self.milliseconds)
            taken = renewed or self.client.set(self.key, self.owner, nx=True, px=self.milliseconds)
        except redis.RedisError as error:
            logger.warning("beat lease unavailable (%s): sending nothing", type(error).__name__)
            taken = False
        if bool(taken) != self.held:
            logger.info("beat lease %s", "taken: this beat schedules" if taken else "lost")
        self.held = bool(taken)
        return self.held

    def release(self) -> None:
        with contextlib.suppress(redis.RedisError):
            self.client.eval(RENEW, 1, self.key, self.owner, 1)


class SingleBeatScheduler(PersistentScheduler):
    """A PersistentScheduler that sends jobs only while it holds the beat lease."""

    def __init__(self, *args, **kwargs):
        self.lease = Lease(url=settings.REDIS_URL, seconds=settings.BEAT_LEASE_SECONDS)
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs) -> float:
        if not self.lease.hold():
            # Try again well before the holder's lease could run out.
            return settings.BEAT_LEASE_SECONDS / 3
        return min(super().tick(*args, **kwargs), settings.BEAT_LEASE_SECONDS / 3)

    def close(self) -> None:
        super().close()
        self.lease.release()
