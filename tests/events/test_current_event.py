"""One current event (`Event.objects.current()`) and one time-zone truth (`Event.time_zone`):
pages, feeds and the context processor show times in the current event's zone;
settings.EVENT_TIME_ZONE is only a new event's default and the fallback without an event."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from icalendar import Calendar

from events.models import Event
from sanjose.benchmark import _caches_off
from sanjose.context_processors import site
from sanjose.eventzone import event_zone
from sanjose.pagecache import request_scope
from tests.factories import EventDayFactory, EventFactory, SessionFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def madrid():
    """The current event held in Madrid; its public session starts at 09:30 there."""
    event = EventFactory(is_current=True, time_zone="Europe/Madrid", city="Madrid")
    day = EventDayFactory(event=event, date=date(2024, 6, 4))
    starts = datetime(2024, 6, 4, 9, 30, tzinfo=MADRID)
    session = SessionFactory(
        event=event,
        day=day,
        title_en="Madrid plenary",
        audience="public",
        starts_at=starts,
        ends_at=starts.replace(hour=10, minute=15),
    )
    return event, session


def render(text: str, **context) -> str:
    return Template("{% load sanjose_tags %}" + text).render(Context(context))


def test_current_is_the_event_marked_current_or_none(db):
    assert Event.objects.current() is None
    EventFactory()
    current = EventFactory(is_current=True)

    assert Event.objects.current() == current


def test_with_days_gives_the_current_event_its_days_in_date_order(db):
    event = EventFactory(is_current=True)
    later = EventDayFactory(event=event, date=date(2024, 6, 5))
    first = EventDayFactory(event=event, date=date(2024, 6, 3))

    assert list(Event.objects.with_days().current().days.all()) == [first, later]


def test_a_new_event_takes_its_time_zone_from_the_settings(db, settings):
    settings.EVENT_TIME_ZONE = "America/Mexico_City"

    event = Event.objects.create(
        name_en="Next", slug="next", start_date=date(2025, 1, 1), end_date=date(2025, 1, 2)
    )

    assert event.time_zone == "America/Mexico_City"


def test_the_session_page_shows_times_in_the_events_zone(client, madrid):
    _event, session = madrid

    page = client.get(session.get_absolute_url()).content.decode()

    hours = int(datetime.now(MADRID).utcoffset().total_seconds() // 3600)
    assert "09:30–10:15" in page
    assert f"UTC+{hours}" in page  # the label's offset is the event zone's (now)


def test_filters_and_context_processor_read_the_current_events_zone(madrid, settings):
    settings.EVENT_TIME_ZONE = "America/Costa_Rica"
    _event, session = madrid

    assert event_zone() == MADRID
    assert render("{{ s.starts_at|event_time }}", s=session) == "09:30"
    assert str(site(RequestFactory().get("/"))["EVENT_TIME_ZONE"]) == "Europe/Madrid"


def test_without_a_current_event_the_settings_zone_is_the_fallback(db, settings):
    settings.EVENT_TIME_ZONE = "America/Mexico_City"
    EventFactory(time_zone="Europe/Madrid")  # not current

    assert event_zone() == ZoneInfo("America/Mexico_City")


def test_a_change_of_the_events_zone_shows_at_once(client, madrid):
    event, session = madrid
    client.get(session.get_absolute_url())

    event.time_zone = "America/Costa_Rica"
    event.save(update_fields=["time_zone"])

    assert "01:30–02:15" in client.get(session.get_absolute_url()).content.decode()


def test_a_bulk_update_of_the_events_zone_shows_at_once(client, madrid):
    """No save() and no signal: the zone is read off the current event, whose cache
    any write to its table makes stale."""
    event, session = madrid
    client.get(session.get_absolute_url())

    Event.objects.filter(pk=event.pk).update(time_zone="America/Costa_Rica")

    assert "01:30–02:15" in client.get(session.get_absolute_url()).content.decode()


@pytest.mark.parametrize("page_cache", ["on", "off"])
def test_a_request_asks_for_the_zone_once(madrid, page_cache, django_assert_max_num_queries):
    """However many times a page shows, the current event (its zone) is loaded at most
    once per request: the event and its days, two queries, even when the page cache
    misses every lookup (as the benchmark's caches-off pages ask)."""
    token = _caches_off.set(page_cache == "off")
    try:
        with request_scope(), django_assert_max_num_queries(2):
            for _ in range(20):
                assert event_zone() == MADRID
    finally:
        _caches_off.reset(token)


def test_the_feeds_carry_the_events_zone(client, madrid):
    calendar = Calendar.from_ical(client.get("/agenda.ics").content)

    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Madrid"
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]
    (entry,) = calendar.walk("VEVENT")
    assert entry["DTSTART"].dt == datetime(2024, 6, 4, 9, 30, tzinfo=MADRID)
    assert entry["DTSTART"].params["TZID"] == "Europe/Madrid"


def test_the_current_event_and_the_zone_are_looked_up_one_way():
    """No second way to find the current event, no display zone from the settings."""
    rules = {
        re.compile(r"is_current=True|current_event\("): {"events/models.py"},
        re.compile(r"settings\.EVENT_TIME_ZONE"): {"events/models.py", "sanjose/eventzone.py"},
    }
    found = []
    for app in ("participants", "events", "documents", "sanjose"):
        for path in (ROOT / app).rglob("*.py"):
            name = str(path.relative_to(ROOT))
            if "migrations" in path.parts or name.endswith("demo.py"):
                continue
            text = path.read_text()
            found += [
                name for rule, allowed in rules.items() if rule.search(text) and name not in allowed
            ]

    assert found == []


def test_the_zone_is_named_after_the_events_zone_not_costa_rica(client, madrid):
    """The label beside the times and the footer name the event's zone: a Madrid event
    says Madrid, in both languages."""
    hours = int(datetime.now(MADRID).utcoffset().total_seconds() // 3600)

    english = client.get("/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.get("/lang/es/")
    spanish = client.get("/agenda/").content.decode()

    assert f"Madrid time (UTC+{hours})" in english
    assert f"Hora de Madrid (UTC+{hours})" in spanish
    assert "Costa Rica time" not in english and "hora de Costa Rica" not in spanish.lower()
