"""The time zone the site shows times in: the current event's (`Event.time_zone`).

`Event.time_zone` is the one truth; `settings.EVENT_TIME_ZONE` is only the default of a
new event and the fallback when there is no current event. The project package knows no
app, so the events app tells this module where the zone comes from (events/apps.py): the
current event itself, `Event.objects.current()`, which is cached per content version and
kept for the rest of a request once asked for, so a page of many times asks once.
"""

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings

_source: Callable[[], str | None] | None = None


def set_zone_source(source: Callable[[], str | None]) -> None:
    """Where the current event's time zone name comes from (None: no current event)."""
    global _source
    _source = source


def event_zone() -> ZoneInfo:
    """The current event's time zone, else settings.EVENT_TIME_ZONE."""
    name = _source() if _source is not None else None
    return ZoneInfo(name or settings.EVENT_TIME_ZONE)
