"""/me/notifications/ and the signed one-click unsubscribe link."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from participants.notifications.services import unsubscribe_token, unsubscribe_url
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db
PREFERENCES = "/me/notifications/"


def test_the_urls_are_the_documented_ones():
    assert reverse("participants:notification_preferences") == PREFERENCES
    assert unsubscribe_url(participant_id=7, kind="daily_digest").startswith(
        "http://127.0.0.1:8000/me/notifications/unsubscribe/"
    )


def test_preferences_need_a_signed_in_user(client):
    response = client.get(PREFERENCES)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_participant_saves_their_preferences(client):
    participant = ParticipantFactory()
    client.force_login(participant.user)

    response = client.post(
        PREFERENCES,
        {
            "wants_session_reminders": "on",
            "reminder_minutes_before": "30",
            "wants_new_material": "",
        },
        follow=True,
    )

    participant.refresh_from_db()
    assert "Your email preferences are saved." in response.content.decode()
    assert participant.wants_session_reminders is True
    assert participant.reminder_minutes_before == 30
    assert participant.wants_daily_digest is False
    assert participant.wants_schedule_changes is False
    assert participant.wants_new_material is False


def test_an_unknown_reminder_time_is_refused_next_to_the_field(client):
    participant = ParticipantFactory()
    client.force_login(participant.user)

    response = client.post(
        PREFERENCES, {"wants_session_reminders": "on", "reminder_minutes_before": "7"}
    )

    participant.refresh_from_db()
    assert response.status_code == 200
    assert "reminder_minutes_before" in response.context["form"].errors
    assert "Select a valid choice" in response.content.decode()
    assert participant.wants_session_reminders is False


def test_an_account_without_a_profile_is_told_so(client):
    client.force_login(UserFactory())

    response = client.get(PREFERENCES)

    assert response.status_code == 200
    assert "no participant profile yet" in response.content.decode()


def test_the_unsubscribe_link_asks_then_turns_that_kind_off(client):
    participant = ParticipantFactory(wants_daily_digest=True, wants_new_material=True)
    link = reverse(
        "participants:unsubscribe",
        args=[unsubscribe_token(participant_id=participant.pk, kind="daily_digest")],
    )

    page = client.get(link)
    participant.refresh_from_db()
    assert page.status_code == 200
    assert "Stop receiving the daily digest by email?" in page.content.decode()
    assert participant.wants_daily_digest is True  # a link scanner changes nothing

    done = client.post(link)  # also what a mail client's one-click POST does
    participant.refresh_from_db()
    assert done.status_code == 200
    assert "you will no longer receive the daily digest" in done.content.decode()
    assert participant.wants_daily_digest is False
    assert participant.wants_new_material is True


def test_a_one_click_post_from_a_mail_client_needs_no_csrf_token():
    participant = ParticipantFactory(wants_session_reminders=True)
    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(participant_id=participant.pk, kind="session_reminder")

    response = client.post(
        reverse("participants:unsubscribe", args=[token]),
        {"List-Unsubscribe": "One-Click"},
    )

    participant.refresh_from_db()
    assert response.status_code == 200
    assert participant.wants_session_reminders is False


@pytest.mark.parametrize(
    "token",
    ["not-a-token", unsubscribe_token(participant_id=1, kind="registration_approved")],
)
def test_a_forged_or_mandatory_kind_link_is_not_found(client, token):
    ParticipantFactory()

    assert client.post(reverse("participants:unsubscribe", args=[token])).status_code == 404


def test_the_me_section_shows_the_choices_and_links_to_them():
    participant = ParticipantFactory(wants_session_reminders=True, reminder_minutes_before=10)

    html = render_to_string("participants/me/_notifications.html", {"user": participant.user})

    assert "Reminders 10 minutes before my sessions" in html
    assert 'href="/me/notifications/"' in html
