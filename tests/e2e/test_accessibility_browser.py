"""WCAG 2.2 AA in a real browser: axe-core (npm, `make dev-setup`) on every page, both
languages, at 390×844; Spanish screenshots kept in screenshots/ for a person to look at.

Fails on any critical or serious violation; prints the count of moderate ones per page.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from documents.models import Document
from events.models import Session, Speaker
from participants.models import Participant, Registration
from sanjose.access import ANONYMOUS, viewer_for
from tests.factories import ParticipantFactory
from tests.signin import sign_in_staff

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Everything WCAG 2.0–2.2 A and AA, plus axe's best practices (landmarks, headings…).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = {"critical", "serious"}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)


def session_cookie(user) -> dict:
    client = Client()
    if user.is_staff:
        sign_in_staff(client, user)  # staff pages ask for a second factor
    else:
        client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value}


def pages_to_check():
    """(who, name, path): every page of the issue's list, as the person who sees it."""
    delegate = Participant.objects.get(badge_name="Bruno Delegate Example 001").user
    # Profile filled in, not registered yet: the one who sees the registration form.
    newcomer = ParticipantFactory(badge_name="Nadia Newcomer Example").user
    public_session = Session.objects.visible_to(ANONYMOUS).filter(audience="public").first()
    own_session = Session.objects.visible_to(viewer_for(delegate)).exclude(audience="public")[0]
    public_document = Document.objects.visible_to(ANONYMOUS).first()
    public_speaker = Speaker.objects.visible_to(ANONYMOUS).first()
    staff = get_user_model().objects.get(username="admin")
    pages = [
        (None, "home", "/"),
        (None, "agenda", "/agenda/"),
        (None, "session-public", public_session.get_absolute_url()),
        (None, "open-day", "/open-day/"),
        (None, "documents", "/documents/"),
        (None, "speakers", "/agenda/speakers/"),
        (None, "speaker", public_speaker.get_absolute_url()),
        (None, "document", public_document.get_absolute_url()),
        (None, "login", "/accounts/login/"),
        (None, "signup", "/accounts/signup/"),
        (None, "password-reset", "/accounts/password/reset/"),
        (None, "offline", "/offline/"),
        (None, "privacy", "/privacy/"),
        (None, "code-of-conduct", "/code-of-conduct/"),
        (None, "verify", "/verify/"),
        (newcomer, "register", "/register/"),
        (newcomer, "register-open-day", "/register/?type=open-day"),
        (delegate, "me", "/me/"),
        (delegate, "me-profile", "/me/profile/"),
        (delegate, "me-schedule", "/me/schedule/"),
        (delegate, "me-badge", "/me/badge/"),
        (delegate, "me-notifications", "/me/notifications/"),
        (delegate, "me-letter", "/me/letter/"),
        (delegate, "me-directory", "/me/directory/"),
        (delegate, "directory", "/directory/"),
        (delegate, "me-feedback", "/me/feedback/"),
        (delegate, "me-feedback-event", "/me/feedback/event/"),
        (delegate, "agenda-signed-in", "/agenda/"),
        (delegate, "session", own_session.get_absolute_url()),
        (delegate, "documents-signed-in", "/documents/"),
        (delegate, "account-email", "/accounts/email/"),
        (delegate, "password-change", "/accounts/password/change/"),
        (delegate, "logout", "/accounts/logout/"),
        (staff, "staff", "/staff/"),
        (staff, "staff-exports", "/staff/exports/"),
        (staff, "staff-checkin", "/staff/checkin/"),
        (staff, "staff-feedback", "/staff/feedback/"),
    ]
    assert Registration.objects.filter(participant__user=delegate, status="approved").exists()
    return pages


def run_axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
    assert len(results["passes"]) >= 10, "axe checked almost nothing"
    return results["violations"]


def test_axe_finds_the_old_open_day_orange(live_server, phone_page):
    """The tool bites: the orange of the issue (#e07a1f on white, 3.0:1) is serious."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make dev-setup` (npm install axe-core).")
    page = phone_page
    page.goto(live_server.url + "/offline/")
    page.evaluate(
        """() => { const p = document.createElement("p"); p.textContent = "Open day";
        p.style.color = "#e07a1f"; document.querySelector("main").append(p); }"""
    )
    found = {(v["id"], v["impact"]) for v in run_axe(page)}
    assert ("color-contrast", "serious") in found


def describe(violation: dict) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
    return f"{violation['impact']} {violation['id']}: {violation['help']} — {targets}"


def test_every_page_in_both_languages_has_no_serious_accessibility_violation(
    live_server, demo, browser, screenshot, capsys
):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make dev-setup` (npm install axe-core).")
    blocking: list[str] = []
    report: list[str] = []
    for language in ["es", "en"]:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale=language)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        signed_in_as = None
        for who, name, path in pages_to_check():
            if who != signed_in_as:
                context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
                if who is not None:
                    context.add_cookies([{**session_cookie(who), "url": live_server.url}])
                signed_in_as = who
            response = page.goto(live_server.url + path)
            assert response.status == 200, (language, path, response.status)
            assert page.locator("html").get_attribute("lang") == language, (language, path)
            violations = run_axe(page)
            blocking += [
                f"[{language}] {path}: {describe(v)}" for v in violations if v["impact"] in BLOCKING
            ]
            moderate = sum(len(v["nodes"]) for v in violations if v["impact"] == "moderate")
            report.append(f"{language} {path:32} moderate: {moderate}")
            if language == "es":
                screenshot(page, f"es-{name}-phone")
        context.close()
    with capsys.disabled():
        print("\naxe-core: moderate violations (nodes) per page\n" + "\n".join(report))
    assert blocking == [], "\n".join(blocking)
