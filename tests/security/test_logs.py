"""No personal data in URLs, logs or shared caches.

The main flows run with every logger at DEBUG through the project's own log filters;
the canary names and addresses they use, and the secret tokens in their URLs, appear in
no log line. Signed-in pages answer `Cache-Control: private, no-store`; messages (which
can name the person) never travel in a cookie.
"""

import contextlib
import io
import logging
import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from participants.desk.services import check_in_code
from participants.models import Participant, Registration
from sanjose import clock
from sanjose.log_filters import REDACTED, RedactSecretsFilter, redact
from tests.factories import (
    EventDayFactory,
    EventFactory,
    InvitationFactory,
    ParticipantFactory,
    RegistrationTypeFactory,
    SessionFactory,
    StaffUserFactory,
)
from tests.signin import sign_in_staff

CANARY_EMAIL = "qzcanary.flow@example.org"
CANARY_NAME = "Qzcanary Flowperson"
CANARY_ORG = "Qzcanary Organisation"
PASSWORD = "a-long-and-fine-passphrase-7"
NEW_PASSWORD = "another-long-passphrase-8"


@pytest.fixture
def all_logs():
    """Every logger at DEBUG, written through the filters of the project's console
    handler into a buffer (and loggers that do not propagate, too)."""
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    capture.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    for log_filter in console.filters:
        capture.addFilter(log_filter)
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
    ]
    for name in ("django.request", "django.server", "celery", "allauth", "sanjose"):
        loggers.append(logging.getLogger(name))
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        if lg is logging.getLogger() or not lg.propagate:
            lg.addHandler(capture)
    yield buffer
    for lg, level, disabled in saved:
        lg.setLevel(level)
        lg.disabled = disabled
        lg.removeHandler(capture)


def link_in_outbox(recipient: str, pattern: str) -> str:
    """The link in the last email delivered to `recipient` (the outbox keeps no one-time
    link once sent: sanjose/outbox sealing)."""
    body = [sent for sent in mail.outbox if recipient in sent.to][-1].body
    return re.search(rf"https?://[^/\s]+({pattern}\S*)", body).group(1)


@pytest.mark.django_db(transaction=True)
def test_the_main_flows_log_no_canary_and_no_secret(all_logs):
    today = clock.now().date()
    event = EventFactory(is_current=True, start_date=today, end_date=today + timedelta(days=2))
    EventDayFactory(event=event, date=today)
    SessionFactory(event=event, day__date=today)
    kind = RegistrationTypeFactory(event=event, slug="full", name_en="Full")
    staff = StaffUserFactory(is_superuser=True, password=PASSWORD)
    desk = sign_in_staff(Client(), staff)
    person = Client()

    # Sign up and confirm the address from the emailed link.
    person.post(
        "/accounts/signup/",
        {"email": CANARY_EMAIL, "password1": PASSWORD, "password2": PASSWORD},
    )
    confirm = link_in_outbox(CANARY_EMAIL, "/accounts/confirm-email/")
    person.get(confirm)
    person.post(confirm)
    person.post("/accounts/logout/")
    # Sign in (a wrong password first), fill in the profile, register.
    person.post("/accounts/login/", {"login": CANARY_EMAIL, "password": "wrong-one"})
    assert (
        person.post("/accounts/login/", {"login": CANARY_EMAIL, "password": PASSWORD}).status_code
        == 302
    )
    person.post(
        "/me/profile/",
        {
            "badge_name": CANARY_NAME,
            "organisation": CANARY_ORG,
            "sector": "civil_society",
            "country": "CR",
            "preferred_language": "en",
            "dietary_needs": "qzcanary diet",
            "accepts_privacy": "on",
            "accepts_conduct": "on",
        },
    )
    person.post("/register/", {"type": kind.pk, "motivation": "qzcanary reasons"})
    registration = Registration.objects.get(participant__user__email=CANARY_EMAIL)
    # Staff approve it in the admin.
    desk.post(
        "/admin/participants/registration/",
        {"action": "approve", "_selected_action": [registration.pk], "apply": "1", "reason": "ok"},
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    # Schedule, feed, badge, my data.
    token = Participant.objects.get(user__email=CANARY_EMAIL).calendar_token
    person.get("/me/")
    person.get("/me/schedule/")
    person.get("/me/badge/")
    person.get("/me/data.json")
    assert Client().get(f"/calendar/{token}.ics").status_code == 200
    Client().get(f"/calendar/{token}x.ics")  # a wrong token: a 404 line in the log
    invitation = InvitationFactory(event=event, type=kind, email="qzcanary.invitee@example.org")
    Client().get(f"/invitation/{invitation.token}x/")
    Client().get("/me/notifications/unsubscribe/qzcanary-not-a-token/")
    # Exports and the check-in desk (a typed name, then the scanned code).
    desk.get("/staff/exports/attendees.csv")
    desk.get("/staff/exports/attendees.xlsx")
    desk.get("/staff/checkin/", {"q": "Qzcanary"})
    desk.post("/staff/checkin/", {"code": check_in_code(registration)})
    desk.post("/staff/checkin/", {"code": check_in_code(registration) + "x"})
    # Forgotten password: the emailed link, a new password.
    person.post("/accounts/logout/")
    person.post("/accounts/password/reset/", {"email": CANARY_EMAIL})
    reset = person.get(link_in_outbox(CANARY_EMAIL, "/accounts/password/reset/key/"), follow=True)
    done = person.post(
        reset.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done.status_code == 302

    logged = all_logs.getvalue()
    assert logged, "the capture saw nothing: the test would prove nothing"
    for canary in ("qzcanary", CANARY_NAME.lower(), CANARY_EMAIL):
        assert canary not in logged.lower(), logged[max(0, logged.lower().find(canary) - 300) :][
            :600
        ]
    for secret in (token, invitation.token, check_in_code(registration)):
        assert secret not in logged
    assert f"/calendar/{REDACTED}.ics" in logged


def test_the_console_handler_redacts_secrets():
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")

    assert any(isinstance(f, RedactSecretsFilter) for f in console.filters)
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"GET /calendar/Abc-123_x.ics HTTP/1.1"', f'"GET /calendar/{REDACTED}.ics HTTP/1.1"'),
        ("Not Found: /invitation/tok3n/", f"Not Found: /invitation/{REDACTED}/"),
        ("/me/notifications/unsubscribe/a:b:c/", f"/me/notifications/unsubscribe/{REDACTED}/"),
        ("/accounts/password/reset/key/1-abc/", f"/accounts/password/reset/key/{REDACTED}/"),
        ("/accounts/confirm-email/MQ:1t/", f"/accounts/confirm-email/{REDACTED}/"),
        ("/staff/checkin/?q=Ana+Example&x=1", f"/staff/checkin/?q={REDACTED}&x=1"),
        (
            "/accounts/login/?next=%2Fstaff%2Fcheckin%2F%3Fq%3DAna",
            f"/accounts/login/?next={REDACTED}",
        ),
        ("/staff/exports/attendees.csv?country=CR", "/staff/exports/attendees.csv?country=CR"),
        ("/agenda/sessions/4/", "/agenda/sessions/4/"),
    ],
)
def test_redact_hides_the_secret_part_of_each_url(line, expected):
    assert redact(line) == expected


def test_the_gunicorn_access_log_redacts_tokens():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from sanjose.gunicorn import RedactingGunicornLogger

    config = Config()
    config.set("accesslog", "-")
    logger = RedactingGunicornLogger(config)
    request = SimpleNamespace(
        method="GET",
        path="/calendar/s3cret.ics",
        query="",
        version=(1, 1),
        headers=[],
        uri="/calendar/s3cret.ics",
    )
    response = SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/calendar/s3cret.ics",
        "PATH_INFO": "/calendar/s3cret.ics",
        "QUERY_STRING": "q=Ana",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://site/invitation/s3cret2/",
        "REMOTE_ADDR": "192.0.2.1",
    }

    atoms = logger.atoms(response, request, environ, timedelta(seconds=0.1))

    assert "s3cret" not in atoms["r"] and "s3cret" not in atoms["U"]
    assert "s3cret2" not in atoms["f"]
    assert atoms["q"] == f"q={REDACTED}"


@pytest.mark.django_db
def test_signed_in_pages_are_private_and_not_stored(client):
    participant = ParticipantFactory()
    public = client.get("/privacy/")

    client.force_login(participant.user)
    pages = [client.get(path) for path in ("/me/", "/me/profile/", "/agenda/", "/me/data.json")]

    assert "no-store" not in public.get("Cache-Control", "")
    for response in pages:
        assert response["Cache-Control"] == "private, no-store"
        assert "Cookie" in response["Vary"]


def test_the_signed_in_rule_leaves_token_based_responses_alone(rf):
    """The personal feed is fetched by calendar apps with no session: whatever caching it
    declares (ETag, max-age) is left as it is; only a signed-in request is made private."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from sanjose.middleware import PrivateCacheMiddleware

    def feed(request):
        response = HttpResponse("BEGIN:VCALENDAR")
        response["Cache-Control"], response["ETag"] = "private, max-age=300", '"v1"'
        return response

    anonymous, signed_in = rf.get("/calendar/x.ics"), rf.get("/me/")
    anonymous.user = AnonymousUser()
    signed_in.user = type("U", (), {"is_authenticated": True})()

    assert PrivateCacheMiddleware(feed)(anonymous)["Cache-Control"] == "private, max-age=300"
    assert PrivateCacheMiddleware(feed)(signed_in)["Cache-Control"] == "private, no-store"
    assert "ETag" in PrivateCacheMiddleware(feed)(anonymous)


@pytest.mark.django_db
def test_messages_never_travel_in_a_cookie(client):
    response = client.post(
        "/accounts/signup/",
        {"email": CANARY_EMAIL, "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    assert "messages" not in client.cookies
    for morsel in client.cookies.values():
        assert "qzcanary" not in morsel.value.lower()


@pytest.mark.django_db
def test_the_real_gunicorn_access_log_holds_no_token_or_searched_name(tmp_path):
    """gunicorn started as the compose file starts it (-c python:sanjose.gunicorn), on a
    free port; the requests' tokens and the name searched appear nowhere in its logs."""
    import os
    import socket
    import subprocess
    import sys
    import urllib.error
    import urllib.request
    from pathlib import Path

    from django.db import connection

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": "",
        "SANJOSE_TESTING": "true",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            "python:sanjose.gunicorn",
            "sanjose.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    paths = [
        "/calendar/SECRETtokenA1.ics",
        "/invitation/SECRETtokenB2/",
        "/me/notifications/unsubscribe/SECRETtokenC3/",
        "/accounts/password/reset/key/1-SECRETtokenD4/",
        "/staff/checkin/?q=Qzcanary+Searched",
    ]
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        for path in paths:
            request = urllib.request.Request(
                base + path, headers={"Referer": f"{base}/invitation/SECRETtokenE5/"}
            )
            with contextlib.suppress(urllib.error.HTTPError):  # 404s: logged all the same
                urllib.request.urlopen(request, timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=20)
    log.seek(0)
    written = log.read()

    assert f'"GET /calendar/{REDACTED}.ics HTTP/1.1" 404' in written
    assert "SECRETtoken" not in written
    assert "qzcanary" not in written.lower()
    assert "127.0.0.1 " not in written.split("Booting worker")[-1]  # no client address
