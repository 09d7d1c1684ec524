"""iCalendar files for the public agenda and the personal feeds (RFC 5545, `icalendar`).

Every entry carries the event's real time zone (a VTIMEZONE and TZID, not UTC only), the
room as LOCATION, a UID that never changes for a session (so an update replaces the
entry in a subscribed calendar) and SEQUENCE from `Session.feed_sequence`.
"""

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event, Timezone

from sanjose.clock import now
from sanjose.i18n import active_content_language

from .models import Session


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def build_calendar(*, name: str, time_zone: str, sessions: Iterable[Session]) -> bytes:
    """One VCALENDAR with a VEVENT per session; sessions need `room` and `event` loaded.

    A personal feed may give a session `feed_location` (where this person goes, e.g. the
    room of their working group) and `feed_notes` (lines added to the description, e.g.
    their World Café table in each round). `time_zone` is the event's (`Event.time_zone`)."""
    calendar = Calendar()
    calendar.add("prodid", "-//ECPAT International//San José Dialogue//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", time_zone)
    calendar.add_component(vtimezone(time_zone))
    stamp = now()
    for session in sessions:
        calendar.add_component(_vevent(session, stamp))
    return calendar.to_ical()


@lru_cache(maxsize=4)
def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE of a zone, built once per process (its transitions take a while)."""
    return Timezone.from_tzid(tzid)


def _vevent(session: Session, stamp) -> Event:
    zone = session.event.zone
    entry = Event()
    entry.add("uid", session_uid(session))
    entry.add("dtstamp", stamp)
    entry.add("last-modified", session.updated_at)
    entry.add("dtstart", session.starts_at.astimezone(zone))
    entry.add("dtend", session.ends_at.astimezone(zone))
    entry.add("summary", session.title)
    notes = getattr(session, "feed_notes", [])
    description = "\n\n".join(part for part in ("\n".join(notes), session.description) if part)
    if description:
        entry.add("description", description)
    location = getattr(session, "feed_location", "") or (session.room.name if session.room else "")
    if location:
        entry.add("location", location)
    entry.add("url", settings.SITE_URL + session.get_absolute_url())
    entry.add("sequence", session.feed_sequence)
    entry.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    entry.add("categories", [session.get_kind_display()])
    return entry


def calendar_response(*, body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = active_content_language()
    return response
