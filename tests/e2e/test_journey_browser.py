"""The participant's whole journey on a phone (390×844), in a real browser, on the demo
programme laid from today: sign up, confirm from the link in the HTML part of the real
email, fill the profile, register, be approved by staff in the admin, see the personal
schedule with its subscribe link, download a document, open the badge. In Spanish for a
delegate, in English for an open-day guest. Screenshots land in tests/artifacts/.

The steps are plain functions (`phone_context`, `sign_up_and_confirm`, `fill_profile`,
`register`, `schedule_and_subscribe`, `open_badge`, `offline_then_sign_out`); the
offline steps come last: no network, the schedule, the agenda and the badge still open;
signed out, nothing personal opens offline."""

import email
import email.policy
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from participants.models import Participant, Registration
from sanjose import clock
from sanjose.templatetags.sanjose_tags import event_zone
from tests.signin import totp_code

from .conftest import PHONE
from .test_offline_browser import wait_for_kept

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PASSWORD = "a-long-journey-passphrase"
ADMIN_PASSWORD = "demo-password-123"
# The demo admin's authenticator app (load_demo --admin-totp-secret): staff pass two-factor.
ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def demo_today(transactional_db, settings):
    """The demo programme laid from today (event time), so "now" and "next" are real."""
    settings.MFA_TOTP_TOLERANCE = 1  # a code read just before a 30-second boundary
    import importlib

    from django.apps import apps

    importlib.import_module("participants.migrations.0002_country_regions").load(apps, None)
    # The open day is the programme's second day. Before noon (event time) it is today, so
    # the guest has sessions now or later today; after noon it is tomorrow, so the guest
    # still has a "next" (laid from yesterday, the test failed each evening in Costa Rica).
    local = clock.now().astimezone(event_zone())
    start = local.date() - timedelta(days=1 if local.hour < 12 else 0)
    call_command(
        "load_demo",
        "--start",
        start.isoformat(),
        "--admin-password",
        ADMIN_PASSWORD,
        "--admin-totp-secret",
        ADMIN_TOTP_SECRET,
        stdout=None,
    )


def phone_context(browser, language: str):
    locale = {"es": "es-CR", "en": "en-GB"}[language]
    context = browser.new_context(viewport=PHONE, locale=locale, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    return context, page


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


def link_from_html_part(recipient: str, path: str) -> str:
    """The link to `path` in the HTML part of the newest email to `recipient`, read with
    Python's email parser as a mail client would."""
    message = [m for m in mail.outbox if m.to == [recipient]][-1]
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    parser = Hrefs()
    parser.feed(parsed.get_body(("html",)).get_content())
    return next(h for h in parser.hrefs if path in h)


def no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def sign_up_and_confirm(page, base: str, address: str) -> None:
    page.goto(base + "/accounts/signup/")
    no_overflow(page)
    page.locator("input[name=email]").fill(address)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    page.goto(link_from_html_part(address, "/accounts/confirm-email/"))
    page.locator("main form button[type=submit]").click()
    # Confirming signs in; without a profile, /me/ asks for it first.
    page.wait_for_url(re.compile(r"/me/profile/"))


def fill_profile(page, *, name: str, language: str) -> None:
    no_overflow(page)
    # The preferred language starts as the one being browsed in.
    assert page.locator("select[name=preferred_language]").input_value() == language
    page.locator("input[name=badge_name]").fill(name)
    page.locator("input[name=organisation]").fill("Red de Ejemplo")
    page.locator("select[name=sector]").select_option("civil_society")
    page.locator("select[name=country]").select_option("CR")
    page.locator("input[name=accepts_privacy]").check()
    page.locator("input[name=accepts_conduct]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def register(page, base: str, slug: str) -> None:
    page.goto(base + f"/register/?type={slug}")
    no_overflow(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/me/$"))


def staff_approves(browser, base: str, registration: Registration) -> None:
    """ECPAT staff approve the registration in the admin (Spanish, like the delegate),
    signing in with their password and a code from their authenticator app."""
    context = browser.new_context(locale="es-CR")
    page = context.new_page()
    page.goto(base + "/admin/participants/registration/?status__exact=submitted")
    page.locator("input[name=login]").fill("admin@example.org")
    page.locator("input[name=password]").fill(ADMIN_PASSWORD)
    page.locator("main form button[type=submit]").click()
    # The second step: the code the authenticator app shows now.
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(totp_code(ADMIN_TOTP_SECRET))
    page.locator("main form button.btn-brand[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/"))
    page.goto(base + "/admin/participants/registration/?status__exact=submitted")
    page.locator(f"input[name=_selected_action][value='{registration.pk}']").check()
    page.locator("select[name=action]").select_option("approve")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    page.locator("textarea[name=reason]").fill("Bienvenida.")
    page.locator("form input[type=submit].default").click()
    page.wait_for_load_state()
    assert "1 inscripción procesada" in page.content()
    context.close()


def schedule_and_subscribe(page, base: str, name: str) -> None:
    page.goto(base + "/me/schedule/")
    no_overflow(page)
    subscribe = page.locator("a[data-webcal]")
    assert subscribe.is_visible()
    href = subscribe.get_attribute("href")
    assert href.startswith("webcal://") and href.endswith(".ics")
    # The subscribe button is at the top, not 4,600 px down.
    assert subscribe.bounding_box()["y"] < 600
    assert page.locator("[data-now-next]").is_visible()
    assert page.locator("[data-now-next] .where").first.inner_text().strip()
    shot(page, name)


def download_a_document(page, base: str) -> str:
    page.goto(base + "/documents/")
    page.locator(".document-item h2 a").first.click()
    page.wait_for_load_state()
    no_overflow(page)
    with page.expect_download() as download:
        page.locator("a[data-download]").first.click()
    return download.value.suggested_filename


def open_badge(page, base: str, name: str, participant: Participant) -> None:
    page.goto(base + "/me/badge/")
    no_overflow(page)
    assert page.locator(".badge-qr svg").is_visible()
    registration = participant.registrations.get()
    code = page.locator("[data-desk-code]").inner_text()
    assert code.replace("-", "") == registration.desk_code
    shot(page, name)


OFFLINE_WORDS = {
    "es": (
        "Sin conexión — actualizado por última vez a las ",
        "Menú",
        "Cerrar sesión",
        "Está sin conexión",
    ),
    "en": ("Offline — last updated at ", "Menu", "Sign out", "You are offline"),
}
PERSONAL = ["/me/schedule/", "/me/badge/", "/me/"]


def offline_then_sign_out(page, base: str, language: str, name: str, person: str) -> None:
    """No network: the schedule, the agenda and the badge open from the phone with the
    "offline" note; back online, sign out; offline again, nothing personal opens."""
    note_text, menu, sign_out, offline_heading = OFFLINE_WORDS[language]
    wait_for_kept(page, [*PERSONAL, "/agenda/"])
    page.context.set_offline(True)
    for path in ["/me/schedule/", "/agenda/", "/me/badge/"]:
        page.goto(base + path)
        note = page.locator("[data-offline-note]")
        assert note.is_visible() and note.inner_text().startswith(note_text), path
        assert page.locator("h1").first.inner_text() != offline_heading, path
    assert page.locator(".badge-qr svg").is_visible()
    assert person in page.locator("main").inner_text()
    shot(page, f"{name}-offline-badge")

    page.context.set_offline(False)
    page.wait_for_selector("html:not([data-offline])", state="attached")
    page.goto(base + "/me/")
    page.get_by_role("button", name=menu).click()
    page.get_by_role("button", name=sign_out).click()
    page.wait_for_url(base + "/")
    wait_for_kept(page, PERSONAL, present=False)
    page.context.set_offline(True)
    for path in PERSONAL:
        page.goto(base + path)
        assert page.locator("h1").inner_text() == offline_heading, path
        assert person not in page.locator("body").inner_text(), path
        assert page.locator(".badge-qr").count() == 0, path
    page.context.set_offline(False)


def test_a_spanish_delegate_from_sign_up_to_badge(live_server, demo_today, browser):
    base = live_server.url
    context, page = phone_context(browser, "es")
    address = "lucia.delegada@example.org"

    sign_up_and_confirm(page, base, address)
    assert page.locator("html").get_attribute("lang") == "es"
    fill_profile(page, name="Lucía Delegada Ejemplo", language="es")
    register(page, base, "full-dialogue")
    assert page.locator("[data-status]").inner_text() == "Enviada"
    participant = Participant.objects.get(user__email=address)
    assert participant.preferred_language == "es"

    staff_approves(browser, base, participant.registrations.get())
    approved = [m for m in mail.outbox if m.to == [address]][-1]
    assert "aprobada" in approved.subject
    assert link_from_html_part(address, "/me/") == base + "/me/"

    page.goto(base + "/me/")
    assert page.locator("[data-status]").inner_text() == "Aprobada"
    assert page.locator("nav a[href='/me/badge/']").count() == 1
    shot(page, "journey-es-me")
    schedule_and_subscribe(page, base, "journey-es-schedule")
    assert download_a_document(page, base).endswith("-es.pdf")
    open_badge(page, base, "journey-es-badge", participant)
    offline_then_sign_out(page, base, "es", "journey-es", "Lucía Delegada Ejemplo")
    assert [e for e in page.console_errors if "net::ERR_" not in e] == []
    context.close()


def test_an_english_open_day_guest_from_sign_up_to_badge(live_server, demo_today, browser):
    base = live_server.url
    context, page = phone_context(browser, "en")
    address = "sam.guest@example.org"

    sign_up_and_confirm(page, base, address)
    assert page.locator("html").get_attribute("lang") == "en"
    fill_profile(page, name="Sam Guest Example", language="en")
    register(page, base, "open-day")
    # The open day takes public registrations at once while places last.
    assert page.locator("[data-status]").inner_text() == "Approved"
    participant = Participant.objects.get(user__email=address)
    approved = [m for m in mail.outbox if m.to == [address]][-1]
    assert "approved" in approved.subject

    schedule_and_subscribe(page, base, "journey-en-schedule")
    assert download_a_document(page, base).endswith("-en.pdf")
    open_badge(page, base, "journey-en-badge", participant)
    offline_then_sign_out(page, base, "en", "journey-en", "Sam Guest Example")
    assert [e for e in page.console_errors if "net::ERR_" not in e] == []
    context.close()
