"""The main kinds of email as a phone shows them: the HTML part of each, rendered at 390 px
in chromium, screenshotted to tests/artifacts/ for a person to look at, with nothing wider
than the screen and the link visible."""

from pathlib import Path

import pytest

from tests.sanjose.test_email_parts import CASES, parsed, sent_to, signup

from .conftest import PHONE

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
MAIN_KINDS = ["registration_approved", "registration_waitlisted", "daily_digest", "invitation"]


@pytest.fixture
def event(db):
    from tests.factories import EventFactory

    return EventFactory(
        name_en="San José Dialogue", name_es="Diálogo de San José", slug="sj", is_current=True
    )


def html_part(message) -> str:
    import email
    import email.policy

    parsed_message = email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.default
    )
    return parsed_message.get_body(("html",)).get_content()


def look_at(browser, html: str, name: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(html)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"email-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    links = page.locator("a[href^='http']")
    assert links.count() >= 1 and links.first.is_visible(), name
    context.close()


def test_allauth_messages_read_well_on_a_phone(
    browser, client, event, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://dialogue.example.org"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "nueva@example.org")
        client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    look_at(browser, html_part(sent_to("nueva@example.org")), "signup-confirmation-es")
    look_at(browser, html_part(sent_to("nobody@example.org")), "unknown-account-es")


@pytest.mark.parametrize("kind", MAIN_KINDS)
def test_our_main_emails_read_well_on_a_phone(
    browser, event, settings, kind, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://dialogue.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        recipient, _path = CASES[kind](event, "es")
    message = sent_to(recipient)
    subject, _text, _hrefs, words = parsed(message)
    assert subject and "Diálogo de San José" in words
    look_at(browser, html_part(message), f"{kind}-es")
