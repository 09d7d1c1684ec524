"""/agenda/ and /me/schedule/ in a real browser, at phone and desktop width."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from events.models import Event
from participants.models import Group, Membership, Registration
from sanjose.clock import now
from tests.factories import ParticipantFactory, RegistrationFactory, UserFactory


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)
    return Event.objects.current()


@pytest.fixture
def rehearsal(transactional_db):
    """The demo laid from yesterday (event time), so "now and next" has something to say."""
    yesterday = now().astimezone(ZoneInfo("America/Costa_Rica")).date() - timedelta(days=1)
    call_command(
        "load_demo", "--start", yesterday.isoformat(), "--admin-password", "x" * 12, stdout=None
    )
    return Event.objects.current()


def approved_member(event: Event):
    participant = ParticipantFactory(user=UserFactory(username="e2e-member"))
    RegistrationFactory(
        participant=participant,
        event=event,
        type=event.registration_types.get(slug="full-dialogue"),
        status=Registration.Status.APPROVED,
    )
    group = Group.objects.get(event=event, name_en__startswith="ECPAT member")
    Membership.objects.create(participant=participant, group=group)
    return participant


@pytest.fixture
def member(demo):
    """An approved participant in the ECPAT members' closed group."""
    return approved_member(demo)


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_agenda_on_a_phone_is_one_list(live_server, demo, phone_page, screenshot):
    page = phone_page
    page.goto(live_server.url + "/agenda/")

    assert page.locator("h1").inner_text() == "Agenda"
    assert "Costa Rica time (UTC−6)" in page.locator("header").inner_text()
    # Anonymous: only the open day's public sessions, one under another.
    cards = page.locator(".session-card")
    assert cards.count() == 8
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert second["y"] > first["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
    screenshot(page, "agenda-phone")


def test_agenda_on_a_desktop_puts_parallel_sessions_side_by_side(
    live_server, member, desktop_page, screenshot
):
    page = desktop_page
    sign_in(page, live_server, member.user)
    page.goto(live_server.url + "/agenda/")

    wednesday = page.locator("#day-2024-06-05")
    parallel = wednesday.locator(".agenda-parallel.is-parallel").first
    cards = parallel.locator(".session-card")
    assert cards.count() == 2
    left, right = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert right["x"] > left["x"] and abs(right["y"] - left["y"]) < 2
    # A member of one closed group sees its meeting; the other one only as a slot.
    text = wednesday.inner_text()
    assert "ECPAT member organisations: closed meeting" in text
    assert "Youth advisory panel" not in text
    assert "Closed meeting" in text
    assert page.console_errors == []
    screenshot(page, "agenda-desktop-member")


def test_schedule_on_a_phone_during_the_event(live_server, rehearsal, phone_page, screenshot):
    page = phone_page
    sign_in(page, live_server, approved_member(rehearsal).user)
    page.goto(live_server.url + "/me/schedule/")

    assert page.locator("h1").inner_text() == "My schedule"
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "Now and next"
    assert headings[1].startswith("Today")
    # Tomorrow (the demo's third day) holds this member's closed meeting, not the other.
    assert "ECPAT member organisations: closed meeting" in page.content()
    assert "Youth advisory panel" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "schedule-phone")


def test_session_page_and_open_day_on_a_phone(live_server, demo, phone_page, screenshot):
    page = phone_page
    page.goto(live_server.url + "/open-day/")
    assert "places left" in page.locator(".hero").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "open-day-phone")

    page.get_by_role(
        "link", name="Panel: what the 2023 UN reports say on travel and tourism"
    ).click()

    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Panel: what the 2023 UN reports")
    assert "Amara Demo" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
    screenshot(page, "session-phone")
