"""Rate limits for the site's own endpoints (allauth limits its own: login, signup, reset).

One fixed-window counter per (scope, key, window) in the shared cache, so every web process
counts together. A limit reads like allauth's: ``"10/m/user,300/m/ip"`` — N attempts per
second (s), minute (m), hour (h) or day (d), counted per signed-in user, per client address
or per secret token in the URL. Keys are HMACs: no address or token is stored in clear.

Per-address limits are generous on purpose: on the first morning the whole venue reaches
the site from one address. While Redis is away the cache counts in each web process
(sanjose/cache.py); only if even that fails is the request let through (a limit that
turns into an outage would hurt more than the few attempts it lets pass).
"""

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KEY_KINDS = ("ip", "user", "token")


@dataclass(frozen=True)
class Limit:
    amount: int
    seconds: int
    per: str


def parse(spec: str) -> list[Limit]:
    """``"10/m/user,300/m/ip"`` → limits; a malformed spec is a configuration error."""
    limits = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        amount, period, per = part.split("/")
        if period not in PERIODS or per not in KEY_KINDS or int(amount) < 1:
            raise ValueError(f"bad rate limit {part!r}")
        limits.append(Limit(amount=int(amount), seconds=PERIODS[period], per=per))
    return limits


def _key_value(request: HttpRequest, per: str, token: str | None) -> str | None:
    if per == "user":
        return str(request.user.pk) if request.user.is_authenticated else None
    if per == "token":
        return token
    return get_adapter().get_client_ip(request)


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:24]


def _count(key: str, seconds: int) -> int | None:
    """One more attempt in this window; None when the cache cannot be reached."""
    try:
        cache.add(key, 0, timeout=seconds + 1)
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the window's first attempt
        cache.add(key, 1, timeout=seconds + 1)
        return 1
    except Exception:  # noqa: BLE001 - any cache failure: let the request through
        logger.warning("Rate limit cache unavailable; request allowed", exc_info=False)
        return None


def retry_after(request: HttpRequest, scope: str, *, token: str | None = None) -> int | None:
    """Counts this attempt against every limit of `scope`; seconds to wait if one is spent."""
    spec = settings.SANJOSE_RATE_LIMITS.get(scope, "") if settings.SANJOSE_RATE_LIMITS else ""
    now = int(time.time())
    wait = None
    for limit in parse(spec):
        value = _key_value(request, limit.per, token)
        if value is None:
            continue
        window = now // limit.seconds
        count = _count(f"rl:{scope}:{limit.per}:{_digest(value)}:{window}", limit.seconds)
        if count is not None and count > limit.amount:
            wait = max(wait or 0, (window + 1) * limit.seconds - now)
    return wait


def too_many(request: HttpRequest, wait: int | None = None) -> HttpResponse:
    """The page for a spent limit; allauth's own limits use it too (`handler429`)."""
    minutes = max(1, -(-wait // 60)) if wait else None
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    if wait:
        response["Retry-After"] = str(wait)
    return response


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",), token_kwarg: str = ""):
    """Refuses a view's `methods` with 429 and Retry-After once a limit of `scope` is spent."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                wait = retry_after(request, scope, token=kwargs.get(token_kwarg))
                if wait is not None:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
