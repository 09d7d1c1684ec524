"""The fault tests on the real services, end to end.

- Redis stops while a participant registers: the POST answers as usual (saved), then
  Redis comes back, the outbox sweep runs, and a real Celery worker delivers the email
  to a real SMTP server exactly once.
- PostgreSQL terminates the web worker's connection in the middle of a registration
  (gunicorn, DEBUG off): a clean, translated error page, nothing half written, and the
  next request on the same worker works.
"""

import re
import threading
import time
from datetime import timedelta

import psycopg2
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.utils import timezone

from participants.models import Registration, RegistrationChange, RegistrationType
from sanjose.outbox import services as outbox
from sanjose.outbox.models import OutboxMessage
from tests.factories import EventFactory, ParticipantFactory, RegistrationTypeFactory
from tests.integration.conftest import CapturingHandler, Workers, wait_for

from .faults_support import (
    Gunicorn,
    RedisServer,
    celery_publishing_to,
    free_port,
    redis_cache_settings,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
WAIT = 120


@pytest.fixture
def mailbox():
    handler = CapturingHandler()
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def open_day():
    event = EventFactory(name="San José Dialogue", is_current=True)
    return RegistrationTypeFactory(event=event, slug="open-day", is_public=True, capacity=20)


def test_registration_while_redis_is_down_is_emailed_once_when_it_returns(
    redis_server, mailbox, open_day, settings, tmp_path, monkeypatch
):
    settings.REDIS_URL = redis_server.url
    settings.CACHES = redis_cache_settings(redis_server.url)
    participant = ParticipantFactory(user__email="outage@example.org")
    visitor = Client(raise_request_exception=False)
    visitor.force_login(participant.user)
    workers = Workers(broker_url=redis_server.url, smtp_port=mailbox.port, log_dir=tmp_path)
    with celery_publishing_to(redis_server.url):
        try:
            workers.start()
            redis_server.stop()

            response = visitor.post("/register/", {"type": open_day.pk})

            assert (response.status_code, response["Location"]) == (302, "/me/")
            assert Registration.objects.get(participant=participant).status == "approved"
            [message] = OutboxMessage.objects.filter(recipient="outage@example.org")
            assert message.status == OutboxMessage.Status.PENDING
            time.sleep(2)
            assert mailbox.received() == []

            redis_server.start()
            later = timezone.now() + outbox.PENDING_STALE_AFTER + timedelta(seconds=5)
            monkeypatch.setattr("sanjose.clock.now", lambda: later)
            assert outbox.sweep_outbox()["requeued"] == 1
            wait_for(
                lambda: mailbox.received("Your registration"),
                timeout=WAIT,
                what="the approval email after Redis returned",
            )
            # A second sweep later, and time for a stray duplicate, before counting.
            much_later = later + outbox.PENDING_STALE_AFTER + timedelta(seconds=5)
            monkeypatch.setattr("sanjose.clock.now", lambda: much_later)
            assert outbox.sweep_outbox()["requeued"] == 0
            time.sleep(3)
        finally:
            workers.stop_all()
            print(workers.logs())

    received = mailbox.received("Your registration")
    assert [m["To"] for m in received] == ["outage@example.org"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)


def _session_cookie(user) -> dict:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def _csrf(server: Gunicorn, cookies: dict) -> tuple[dict, str]:
    status, headers, body = server.request("/register/", cookies=cookies)
    assert status == 200, body[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))[1]
    return {**cookies, "csrftoken": cookie}, token


def _waiting_backend(database: str, locker) -> int | None:
    with locker.cursor() as cursor:
        cursor.execute(
            # The one backend waiting for a lock on this database is the web worker's (its
            # `query` column may still show the statement before the one that waits).
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
            " AND pid <> pg_backend_pid()",
            [database],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def test_a_connection_killed_mid_request_gives_a_clean_page_and_no_half_written_rows(
    open_day, tmp_path, settings
):
    settings.SECRET_KEY = Gunicorn.SECRET_KEY  # the session cookie is made here
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    participant = ParticipantFactory()
    server = Gunicorn(database_url=database_url, media_root=tmp_path, log_dir=tmp_path)
    server.start()
    locker = psycopg2.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
    )
    try:
        cookies, token = _csrf(server, _session_cookie(participant.user))
        # Hold the type's row: the registration inserts its row, then waits on this lock.
        with locker.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM participants_registrationtype WHERE id = %s FOR UPDATE",
                [open_day.pk],
            )
        answer: dict = {}
        post = threading.Thread(
            target=lambda: answer.update(
                zip(
                    ("status", "headers", "body"),
                    server.request(
                        "/register/",
                        data={"type": open_day.pk, "csrfmiddlewaretoken": token},
                        cookies=cookies,
                        language="es",
                    ),
                    strict=True,
                )
            )
        )
        post.start()
        pid = wait_for(
            lambda: _waiting_backend(db["NAME"], locker), timeout=30, what="the blocked request"
        )
        with locker.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        locker.rollback()
        post.join(timeout=60)

        assert answer["status"] == 503
        assert answer["headers"]["Retry-After"] == "30"
        assert "Perdimos el contacto con la base de datos" in answer["body"]
        assert "Traceback" not in answer["body"]
        # Nothing half written: the registration's row went with its transaction.
        assert not Registration.objects.filter(participant=participant).exists()
        assert not RegistrationChange.objects.exists()
        assert not OutboxMessage.objects.exists()
        assert RegistrationType.objects.get(pk=open_day.pk).approved_count == 0

        # The same worker answers the next requests, and the registration goes through.
        assert server.request("/agenda/", cookies=cookies)[0] == 200
        cookies, token = _csrf(server, cookies)
        status, headers, _ = server.request(
            "/register/", data={"type": open_day.pk, "csrfmiddlewaretoken": token}, cookies=cookies
        )
        assert (status, headers["Location"]) == (302, "/me/")
        assert Registration.objects.get(participant=participant).status == "approved"
    finally:
        locker.close()
        server.stop()
        print(server.log.read_text()[-4000:])
