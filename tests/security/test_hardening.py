"""Hardening: the security headers on every page, CSRF on every state-changing form, the
rate limits (the Nth attempt refused), production cookie and transport settings."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.test import Client

from events.models import Session
from participants.models import Registration
from tests.factories import (
    EventDayFactory,
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
)
from tests.sanjose.test_settings import PRODUCTION_KEY, run_manage
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/agenda/",
    "/open-day/",
    "/documents/",
    "/agenda.ics",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/verify/",
    "/healthz",
]
PARTICIPANT_PAGES = [
    "/me/",
    "/me/profile/",
    "/me/schedule/",
    "/me/badge/",
    "/me/notifications/",
    "/me/letter/",
    "/register/",
    "/accounts/email/",
    "/accounts/password/change/",
]
STAFF_PAGES = ["/staff/", "/staff/exports/", "/staff/checkin/"]


@pytest.fixture
def site(db):
    event = EventFactory(is_current=True)
    day = EventDayFactory(event=event)
    room = RoomFactory(event=event)
    session = SessionFactory(event=event, day=day, room=room, audience=Session.Audience.PUBLIC)
    full = RegistrationTypeFactory(event=event, slug="full")
    open_day = RegistrationTypeFactory(event=event, slug="open-day", is_public=True)
    approved = RegistrationFactory(event=event, type=full, status=Registration.Status.APPROVED)
    return {
        "event": event,
        "session": session,
        "participant": approved.participant,
        "open_day": open_day,
        "full": full,
    }


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def _assert_hardened(response, path: str) -> None:
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"], path
    assert "'unsafe-inline'" not in policy["style-src"], path
    assert policy["frame-ancestors"] == ["'none'"], path
    assert policy["object-src"] == ["'none'"], path
    assert response["X-Frame-Options"] == "DENY", path
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] == "same-origin", path


def test_headers_on_every_public_page(client, site):
    for path in [*PUBLIC_PAGES, site["session"].get_absolute_url()]:
        response = client.get(path)
        assert response.status_code in (200, 503), path
        _assert_hardened(response, path)


def test_headers_on_every_signed_in_and_staff_page(client, site):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(site["participant"].user)
    for path in PARTICIPANT_PAGES:
        response = client.get(path)
        assert response.status_code in (200, 302), path
        _assert_hardened(response, path)
    sign_in_staff(client, staff)
    for path in STAFF_PAGES:
        response = client.get(path, follow=True)
        _assert_hardened(response, path)


def test_admin_may_use_inline_styles_but_never_inline_scripts(client, site):
    sign_in_staff(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/", follow=True)

    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert response["X-Frame-Options"] == "DENY"


def test_our_templates_have_no_inline_script_or_style(settings):
    templates = settings.BASE_DIR / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        if "emails" in path.parts:  # mail clients need inline styles; no browser policy there
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", text):
            offenders.append(f"{path}: inline script")
        if re.search(r"\sstyle=|<style", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path}: inline style or handler")
    assert offenders == []


# --- CSRF: every state-changing form refuses a request without the token -----------------


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.actions: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self.actions.append(attributes.get("action") or "")


def _post_forms(client, path: str) -> set[str]:
    response = client.get(path, follow=True)
    parser = _Forms()
    parser.feed(response.content.decode())
    page = response.request["PATH_INFO"]
    return {urljoin(page, action).split("#")[0] for action in parser.actions}


# The one-click unsubscribe is exempt on purpose (RFC 8058: mail clients POST to it without
# a session); its signed token is what protects it.
CSRF_EXEMPT = re.compile(r"^/me/notifications/unsubscribe/")


def _assert_every_form_needs_the_token(user, pages) -> set[str]:
    browser = Client()
    if user is not None:
        sign_in_staff(browser, user, two_factor=user.is_staff)
    forms = set().union(*(_post_forms(browser, page) for page in pages))
    forger = Client(enforce_csrf_checks=True)
    if user is not None:
        sign_in_staff(forger, user, two_factor=user.is_staff)
    for action in forms:
        if CSRF_EXEMPT.match(action):
            continue
        response = forger.post(action, {"anything": "x"})
        assert response.status_code == 403, action
    return forms


def test_csrf_on_every_anonymous_form(site):
    forms = _assert_every_form_needs_the_token(None, PUBLIC_PAGES[:-1])

    assert {"/accounts/login/", "/accounts/signup/"} <= forms


def test_csrf_on_every_participant_form(site):
    pages = [*PARTICIPANT_PAGES, "/me/cancel/"]
    forms = _assert_every_form_needs_the_token(site["participant"].user, pages)

    assert {"/accounts/logout/", "/me/profile/", "/me/schedule/reset-calendar/"} <= forms
    assert "/me/letter/" in forms


def test_csrf_on_the_letter_deletion_form(site):
    from participants.certificates.services import request_letter

    registration = Registration.objects.get(participant=site["participant"])
    request_letter(registration=registration, passport_name="A Example", nationality="CR")

    forms = _assert_every_form_needs_the_token(site["participant"].user, ["/me/letter/"])

    assert forms >= {"/me/letter/delete/", "/accounts/logout/"}


def test_csrf_on_every_staff_form(site):
    staff = UserFactory(is_staff=True, is_superuser=True)
    pages = [
        *STAFF_PAGES,
        "/admin/",
        "/admin/participants/registration/",
        f"/admin/participants/registration/{Registration.objects.first().pk}/change/",
        "/admin/events/session/add/",
        "/admin/participants/certificatetemplate/add/",
    ]
    forms = _assert_every_form_needs_the_token(staff, pages)

    assert "/staff/checkin/" in forms
    assert "/admin/participants/registration/" in forms


# --- Rate limits ----------------------------------------------------------------------------


def _spend(limit: int, request) -> list[int]:
    return [request().status_code for _ in range(limit + 1)]


def test_registration_refused_after_ten_posts_a_minute(client, site):
    client.force_login(site["participant"].user)
    Registration.objects.filter(participant=site["participant"]).delete()

    codes = _spend(10, lambda: client.post("/register/", {"type": "no-such-type"}))

    assert 429 not in codes[:10]
    assert codes[10] == 429


def test_the_refusal_is_a_clear_page_with_retry_after(client, site, settings):
    settings.SANJOSE_RATE_LIMITS = {**settings.SANJOSE_RATE_LIMITS, "register": "1/h/user"}
    settings.LANGUAGE_CODE = "es"
    client.force_login(site["participant"].user)
    client.post("/register/", {"type": "x"})

    response = client.post("/register/", {"type": "x"}, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Demasiados intentos" in response.content.decode()


def test_registration_limit_is_per_person(client, site, settings):
    settings.SANJOSE_RATE_LIMITS = {**settings.SANJOSE_RATE_LIMITS, "register": "2/m/user"}
    someone = ParticipantFactory()
    client.force_login(site["participant"].user)
    _spend(2, lambda: client.post("/register/", {"type": "x"}))
    other = Client()
    other.force_login(someone.user)

    assert other.post("/register/", {"type": "x"}).status_code != 429


def test_open_day_form_is_limited_per_address_too(site, settings):
    settings.SANJOSE_RATE_LIMITS = {**settings.SANJOSE_RATE_LIMITS, "register": "5/m/ip"}
    codes = []
    for _ in range(6):
        browser = Client()
        browser.force_login(ParticipantFactory().user)
        codes.append(browser.post("/register/?type=open-day", {"type": "open-day"}).status_code)

    assert 429 not in codes[:5]
    assert codes[5] == 429


def test_calendar_feed_limited_per_token(client, site, monkeypatch):
    # One fixed window for all 61 requests: on a loaded machine they can straddle a minute.
    monkeypatch.setattr("sanjose.ratelimit.time.time", lambda: 1_800_000_000.0)
    token = site["participant"].calendar_token

    codes = _spend(60, lambda: client.get(f"/calendar/{token}.ics"))

    assert codes[:60] == [200] * 60
    assert codes[60] == 429
    assert client.get(f"/calendar/{ParticipantFactory().calendar_token}.ics").status_code == 200


def test_guessing_calendar_tokens_is_limited_per_address(client, site, settings):
    settings.SANJOSE_RATE_LIMITS = {**settings.SANJOSE_RATE_LIMITS, "calendar_feed": "20/m/ip"}

    guesses = iter(range(100))

    codes = _spend(20, lambda: client.get(f"/calendar/guess{next(guesses)}.ics"))

    assert codes[:20] == [404] * 20
    assert codes[20] == 429


def test_public_feed_limited_per_address(client, site, settings):
    settings.SANJOSE_RATE_LIMITS = {**settings.SANJOSE_RATE_LIMITS, "agenda_feed": "3/m/ip"}

    codes = _spend(3, lambda: client.get("/agenda.ics"))

    assert codes == [200, 200, 200, 429]
    assert client.get("/agenda.ics", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_checkin_desk_limited_per_staff_member(client, site, settings):
    settings.SANJOSE_RATE_LIMITS = {**settings.SANJOSE_RATE_LIMITS, "checkin": "5/m/user"}
    sign_in_staff(client, UserFactory(is_staff=True, is_superuser=True))

    codes = _spend(5, lambda: client.post("/staff/checkin/", {"code": "forged-code"}))

    assert 429 not in codes[:5]
    assert codes[5] == 429


def test_invitation_token_guessing_limited(client, site):
    codes = _spend(30, lambda: client.get("/invitation/not-a-real-token/"))

    assert codes[:30] == [404] * 30
    assert codes[30] == 429


def test_calendar_reset_limited(client, site):
    client.force_login(site["participant"].user)

    codes = _spend(10, lambda: client.post("/me/schedule/reset-calendar/"))

    assert codes[:10] == [302] * 10
    assert codes[10] == 429


def test_signup_limited_by_allauth(client, site):
    def signup():
        return client.post(
            "/accounts/signup/",
            {"email": "not-an-email", "password1": "x", "password2": "y"},
        )

    codes = [signup().status_code for _ in range(21)]

    assert 429 not in codes[:20]
    assert codes[20] == 429


def test_password_reset_limited_by_allauth(client, site):
    email = site["participant"].user.email

    codes = _spend(5, lambda: client.post("/accounts/password/reset/", {"email": email}))

    assert 429 not in codes[:5]
    assert codes[5] == 429


def test_failed_logins_limited_by_allauth(client, site):
    email = site["participant"].user.email

    def attempt():
        return client.post("/accounts/login/", {"login": email, "password": "wrong"})

    for _ in range(10):
        attempt()

    assert "Too many failed login attempts" in attempt().content.decode()


def test_a_limit_never_becomes_an_outage_when_the_cache_is_down(client, site, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    from django.core.cache import caches

    caches._settings = None
    if hasattr(caches._connections, "default"):
        del caches._connections.default
    try:
        response = client.get(f"/calendar/{site['participant'].calendar_token}.ics")
    finally:
        if hasattr(caches._connections, "default"):
            del caches._connections.default

    assert response.status_code == 200


def test_rate_limits_off_turns_every_limit_off():
    result = run_manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.SANJOSE_RATE_LIMITS, settings.ACCOUNT_RATE_LIMITS]))",
        RATE_LIMITS="false",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [{}, False]


# --- Production transport and cookies -------------------------------------------------------


def test_production_sends_hsts_and_secure_cookies_only():
    result = run_manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, "
        "s.X_FRAME_OPTIONS]))",
        DEBUG="false",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="dialogue.example.org",
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == [31536000, True, True, True, True, True, "DENY"]


def test_hsts_header_on_secure_requests(client, site, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
