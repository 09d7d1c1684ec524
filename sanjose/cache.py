"""A Redis cache that degrades instead of failing the request when Redis is away.

The cache holds two kinds of things: rendered pages (the agenda, the public feed) and
allauth's rate-limit counters. Neither is worth a server error. While Redis does not
answer, every operation goes to a small local-memory cache of this process instead:

- cached pages are rendered afresh (a miss), and kept locally for at most
  FALLBACK_MAX_SECONDS, so a change made meanwhile shows within that time everywhere;
- rate limits keep counting, per process, rather than failing open: a password-guessing
  run during an outage still meets a limit (with N web processes, N times the limit),
  and nobody is locked out by an error.

The outage is logged once when it starts and once when Redis answers again, not on
every operation. After a failure Redis is left alone for RETRY_AFTER seconds, so a
blackholed host does not cost every request a connect timeout. Keys written or deleted
while Redis was away are deleted from Redis when it answers again: a cached agenda or
its generation key set before the outage must not outlive a change made during it.
"""

import logging
import threading
import time
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FALLBACK_MAX_SECONDS = 60
RETRY_AFTER = 5.0
MAX_FORGOTTEN_KEYS = 10_000
# What a lost or refused connection raises through redis-py (and the socket below it).
UNAVAILABLE = (RedisError, ConnectionError, TimeoutError, OSError)


class _Outage:
    """Whether Redis is away, since when, and which keys changed meanwhile."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.stale_keys: OrderedDict[str, None] = OrderedDict()

    def skipping(self) -> bool:
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, error: BaseException, location: str) -> None:
        with self.lock:
            first = self.down_since is None
            now = time.monotonic()
            if first:
                self.down_since = now
            self.retry_at = now + RETRY_AFTER
        if first:
            logger.error(
                "cache: Redis at %s is unavailable (%s); using a local fallback",
                location,
                type(error).__name__,
            )

    def remember(self, keys) -> None:
        with self.lock:
            for key in keys:
                self.stale_keys[key] = None
                self.stale_keys.move_to_end(key)
            while len(self.stale_keys) > MAX_FORGOTTEN_KEYS:
                self.stale_keys.popitem(last=False)

    def is_down(self) -> bool:
        return self.down_since is not None

    def stale(self) -> list[str]:
        with self.lock:
            return list(self.stale_keys)

    def recovered(self, dropped: list[str]) -> None:
        with self.lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            self.down_since = None
            for key in dropped:
                self.stale_keys.pop(key, None)
        logger.warning("cache: Redis answers again after %.0f s", seconds)


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; on a Redis error, the operation goes to a local cache."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._fallback = LocMemCache(f"fallback-{id(self)}", {"TIMEOUT": FALLBACK_MAX_SECONDS})
        self._outage = _Outage()

    def _capped(self, timeout):
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return FALLBACK_MAX_SECONDS if timeout is None else min(timeout, FALLBACK_MAX_SECONDS)

    def _call(self, operation: str, args: tuple, kwargs: dict, *, writes=()):
        if not self._outage.skipping():
            try:
                if self._outage.is_down():
                    self._recover()
                return getattr(super(), operation)(*args, **kwargs)
            except UNAVAILABLE as error:
                self._outage.failed(error, self._location)
        if writes:
            self._outage.remember(self.make_key(key, kwargs.get("version")) for key in writes)
        if "timeout" in kwargs:
            kwargs = {**kwargs, "timeout": self._capped(kwargs["timeout"])}
        return getattr(self._fallback, operation)(*args, **kwargs)

    def _recover(self) -> None:
        """Redis may be back: drop what changed while it was away (raises if still away),
        then forget the local copies."""
        stale = self._outage.stale()
        if stale:
            self._cache.delete_many(stale)
        else:
            self._cache.get_client(write=False).ping()
        self._outage.recovered(stale)
        self._fallback.clear()

    # Every operation of the backend, through _call. `writes` names the keys it changes.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        kwargs = {"timeout": timeout, "version": version}
        return self._call("add", (key, value), kwargs, writes=[key])

    def get(self, key, default=None, version=None):
        return self._call("get", (key,), {"default": default, "version": version})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        kwargs = {"timeout": timeout, "version": version}
        return self._call("set", (key, value), kwargs, writes=[key])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", (key,), {"timeout": timeout, "version": version})

    def delete(self, key, version=None):
        return self._call("delete", (key,), {"version": version}, writes=[key])

    def get_many(self, keys, version=None):
        return self._call("get_many", (keys,), {"version": version})

    def has_key(self, key, version=None):
        return self._call("has_key", (key,), {"version": version})

    def incr(self, key, delta=1, version=None):
        return self._call("incr", (key, delta), {"version": version}, writes=[key])

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        kwargs = {"timeout": timeout, "version": version}
        return self._call("set_many", (data,), kwargs, writes=list(data))

    def delete_many(self, keys, version=None):
        return self._call("delete_many", (keys,), {"version": version}, writes=list(keys))

    def clear(self):
        return self._call("clear", (), {})
