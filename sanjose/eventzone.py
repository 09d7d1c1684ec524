"""The time zone the site shows times in: the current event's (`Event.time_zone`).

`Event.time_zone` is the one truth; `settings.EVENT_TIME_ZONE` is only the default of a
new event and the fallback when there is no current event. The project package knows no
app, so the events app tells this module where the zone comes from (events/apps.py).

Within a request (`EventZoneMiddleware`) the zone is asked for once, however many times
a page shows; elsewhere (emails, tasks, commands) each call asks the source, which is
cached per content version.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.conf import settings

_source: Callable[[], str | None] | None = None
_scope: ContextVar[dict | None] = ContextVar("sanjose_event_zone", default=None)


def set_zone_source(source: Callable[[], str | None]) -> None:
    """Where the current event's time zone name comes from (None: no current event)."""
    global _source
    _source = source


def event_zone() -> ZoneInfo:
    """The current event's time zone, else settings.EVENT_TIME_ZONE."""
    scope = _scope.get()
    if scope is not None and "zone" in scope:
        return scope["zone"]
    name = _source() if _source is not None else None
    zone = ZoneInfo(name or settings.EVENT_TIME_ZONE)
    if scope is not None:
        scope["zone"] = zone
    return zone


@contextmanager
def zone_scope() -> Iterator[None]:
    """Ask for the zone at most once inside this block (a request, a batch of emails)."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)
