"""The staff pages and the badge in a real browser, on the `load_demo` data."""

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from participants.desk import services as checkin
from participants.models import Participant, Registration
from tests.signin import sign_in_staff

WEDNESDAY_MORNING = datetime(2024, 6, 5, 8, 50, tzinfo=ZoneInfo("America/Costa_Rica"))


@pytest.fixture
def demo(transactional_db):
    # A transactional test empties every table afterwards, the country → sub-region rows
    # of the data migration too; put them back so the sub-region chart is the real one.
    importlib.import_module("participants.migrations.0002_country_regions").load(apps, None)
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)


def sign_in(page, live_server, user) -> None:
    """Give the browser a session for `user` (demo delegates have no password)."""
    client = Client()
    if user.is_staff:
        sign_in_staff(client, user)
    else:
        client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def admin():
    return get_user_model().objects.get(username="admin")


def test_the_dashboard_shows_the_demo_numbers_as_bars(live_server, demo, desktop_page, screenshot):
    page = desktop_page
    sign_in(page, live_server, admin())

    page.goto(live_server.url + "/staff/")

    assert page.locator("h1").inner_text() == "San José Dialogue"
    first_row = page.locator("section:has(#chart-status) tbody tr").first
    approved = Registration.objects.filter(status="approved").count()
    assert first_row.locator("th").inner_text() == "Approved"
    assert first_row.locator(".chart-count").inner_text() == str(approved)
    assert page.locator("section:has(#chart-check_ins) .chart-bar").count() == 5
    assert page.locator(".chart-bar").count() > 20
    assert page.console_errors == []
    assert screenshot(page, "staff-dashboard-desktop").stat().st_size > 20_000


def test_the_dashboard_and_exports_on_a_phone(live_server, demo, phone_page, screenshot):
    page = phone_page
    sign_in(page, live_server, admin())
    page.goto(live_server.url + "/staff/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "staff-dashboard-phone")

    page.goto(live_server.url + "/staff/exports/")
    page.get_by_role("combobox", name="Status").select_option("approved")
    page.get_by_role("button", name="Count").click()
    approved = Registration.objects.filter(status="approved").count()
    assert f"{approved} registrations match." in page.locator("[role=status]").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("attendees-")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "staff-exports-phone")


def test_a_badge_scanned_at_the_desk_and_the_badge_offline(
    live_server, demo, browser, phone_page, monkeypatch, screenshot
):
    monkeypatch.setattr(checkin.clock, "now", lambda: WEDNESDAY_MORNING)
    delegate = Participant.objects.get(badge_name="Bruno Delegate Example 001")
    badge = phone_page
    sign_in(badge, live_server, delegate.user)
    badge.goto(live_server.url + "/me/badge/")
    assert "Bruno Delegate Example 001" in badge.locator(".badge-card").inner_text()
    assert badge.locator(".badge-qr svg").bounding_box()["width"] >= 200
    screenshot(badge, "badge-phone")
    badge.evaluate("navigator.serviceWorker.ready.then(() => true)")
    badge.reload()  # now under the worker, which keeps a copy
    badge.context.set_offline(True)
    badge.reload()
    assert "Bruno Delegate Example 001" in badge.locator(".badge-card").inner_text()
    badge.context.set_offline(False)
    # The short desk code under the QR, typed at the desk as a person would.
    code = badge.locator("[data-desk-code]").text_content().strip()
    assert len(code) == 9  # "ABCD-EFGH"

    desk_context = browser.new_context(viewport={"width": 390, "height": 844})
    desk = desk_context.new_page()
    sign_in(desk, live_server, admin())
    desk.goto(live_server.url + "/staff/checkin/")
    desk.get_by_role("textbox", name="Badge code").fill(code)
    desk.get_by_role("button", name="Check in", exact=True).click()
    result = desk.locator(".checkin-result")
    text = result.inner_text()
    assert result.get_attribute("data-outcome") in {"checked_in", "already"}
    assert "Bruno Delegate Example 001" in text
    screenshot(desk, "checkin-phone")
    desk_context.close()
