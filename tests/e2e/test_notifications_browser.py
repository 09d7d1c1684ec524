"""The notification preferences page and the unsubscribe page in a real browser."""

import pytest
from django.conf import settings
from django.test import Client

from participants.notifications.services import unsubscribe_token
from tests.factories import ParticipantFactory


@pytest.fixture
def participant(transactional_db):
    return ParticipantFactory(badge_name="Delegate Example 001")


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_preferences_on_a_phone(live_server, participant, phone_page, screenshot):
    page = phone_page
    sign_in(page, live_server, participant.user)
    page.goto(live_server.url + "/me/notifications/")

    page.get_by_label("A reminder before each session in my schedule").check()
    page.get_by_label("How long before a session").select_option("30")
    page.get_by_label("When material is published for a session in my schedule").uncheck()
    screenshot(page, "notifications-preferences-phone")
    page.get_by_role("button", name="Save my preferences").click()

    page.get_by_text("Your email preferences are saved.").wait_for()
    participant.refresh_from_db()
    assert (participant.wants_session_reminders, participant.reminder_minutes_before) == (True, 30)
    assert participant.wants_new_material is False
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []


def test_unsubscribe_on_a_desktop(live_server, participant, desktop_page, screenshot):
    page = desktop_page
    token = unsubscribe_token(participant_id=participant.pk, kind="daily_digest")
    page.goto(f"{live_server.url}/me/notifications/unsubscribe/{token}/")
    screenshot(page, "notifications-unsubscribe-desktop")

    page.get_by_role("button", name="Unsubscribe").click()

    page.get_by_text("you will no longer receive the daily digest").wait_for()
    participant.refresh_from_db()
    assert participant.wants_daily_digest is False
    screenshot(page, "notifications-unsubscribed-desktop")
