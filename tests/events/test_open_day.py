import pytest

from events.models import Session
from tests.factories import EventDayFactory, RegistrationTypeFactory, SessionFactory


@pytest.fixture
def open_day(world):
    day = EventDayFactory(
        event=world.event,
        date=world.event.start_date.replace(day=4),
        title_en="Open day: children in travel and tourism",
        is_public=True,
    )
    SessionFactory(
        event=world.event, day=day, title_en="Tourism panel", audience=Session.Audience.PUBLIC
    )
    SessionFactory(event=world.event, day=day, title_en="Delegates only")
    return day


def test_open_day_shows_the_public_programme_of_the_public_day(client, world, open_day):
    RegistrationTypeFactory(event=world.event, slug="open-day", is_public=True, capacity=120)

    html = client.get("/open-day/").content.decode()

    assert "Open day: children in travel and tourism" in html
    assert "Tourism panel" in html
    assert "Delegates only" not in html
    assert world.public.title_en not in html  # public, but on another day
    assert "Instituto Costarricense de Turismo" in html and "GARA" in html
    assert "120 places left" in html
    assert 'href="/register/?type=open-day"' in html


def test_open_day_counts_places_left_and_offers_the_waiting_list_when_full(client, world, open_day):
    kind = RegistrationTypeFactory(event=world.event, is_public=True, capacity=2)
    kind.approved_count = 1
    kind.save()
    assert "1 place left" in client.get("/open-day/").content.decode()

    kind.approved_count = 2
    kind.save()

    html = client.get("/open-day/").content.decode()
    assert "All places are taken." in html
    assert "Join the waiting list" in html


def test_open_day_without_a_current_event_is_404(client, db):
    assert client.get("/open-day/").status_code == 404
