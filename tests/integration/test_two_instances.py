"""Two gunicorn instances on two ports, one PostgreSQL and one Redis: nothing lives in one
process only. A change shows at once through the other instance; a session started on one
is valid on the other; a rate limit counts requests to both."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection

from events.models import Session
from events.services import cancel_session, update_session
from participants.models import Registration
from participants.registration.services.registration import approve_registration
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

from .conftest import ROOT, free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ZONE = ZoneInfo("America/Costa_Rica")
PASSWORD = "a-long-test-passphrase-42"


class Instance:
    """`gunicorn sanjose.wsgi` on a free port, against the test database and Redis."""

    def __init__(self, name: str, tmp_path):
        db = connection.settings_dict
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"gunicorn-{name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,  # the test's own cache: it sees what they see
            "PYTHONUNBUFFERED": "1",
        }
        command = [
            sys.executable, "-m", "gunicorn", "sanjose.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "60",
        ]  # fmt: skip
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_for(self._answers, timeout=90, what=f"gunicorn {name} to answer", interval=0.5)

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(self.log.read_text()[-3000:])
        with contextlib.suppress(OSError):
            return urllib.request.urlopen(f"{self.url}/healthz/live", timeout=2).status == 200
        return False

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class Browser:
    """One cookie jar used against either instance, as a load balancer would send it."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, instance: Instance, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(instance.url + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, instance: Instance, path: str, data: dict) -> tuple[int, str]:
        _, page = self.get(instance, path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        request = urllib.request.Request(
            instance.url + path,
            data=urlencode({**data, "csrfmiddlewaretoken": token}).encode(),
            headers={"Referer": instance.url + path},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture
def instances(tmp_path):
    started = [Instance("a", tmp_path), Instance("b", tmp_path)]
    yield started
    for instance in started:
        instance.stop()


@pytest.fixture
def dialogue(db):
    event = EventFactory(is_current=True, name="San José Dialogue")
    day = EventDayFactory(event=event)
    first, second = (
        RoomFactory(event=event, name="Sala Arenal"),
        RoomFactory(event=event, name="Sala Tortuguero"),
    )
    session = SessionFactory(
        event=event, day=day, room=first, title_en="Tourism panel",
        audience=Session.Audience.PUBLIC,
        starts_at=datetime(2024, 6, 3, 9, tzinfo=ZONE),
        ends_at=datetime(2024, 6, 3, 10, tzinfo=ZONE),
    )  # fmt: skip
    open_day = RegistrationTypeFactory(
        event=event, slug="open-day", is_public=True, capacity=5, name_en="Open day"
    )
    person = ParticipantFactory(user__email="guest@example.org", user__password=PASSWORD)
    EmailAddress.objects.create(
        user=person.user, email="guest@example.org", verified=True, primary=True
    )
    return {"event": event, "session": session, "room": second, "open_day": open_day,
            "person": person}  # fmt: skip


def _places_left(page: str) -> str:
    return re.search(r'class="places-left">([^<]+)<', page).group(1).strip()


def test_a_change_shows_at_once_through_the_other_instance(instances, dialogue):
    a, b = instances
    browser = Browser()
    assert "Sala Arenal" in browser.get(b, "/agenda/")[1]  # b has the agenda cached now
    assert "Sala Arenal" in browser.get(a, "/agenda/")[1]

    update_session(session=dialogue["session"], room=dialogue["room"])
    assert "Sala Tortuguero" in browser.get(b, "/agenda/")[1]
    assert "Sala Tortuguero" in browser.get(a, "/agenda/")[1]

    assert _places_left(browser.get(a, "/open-day/")[1]) == "5 places left"
    dialogue["open_day"].capacity = 3
    dialogue["open_day"].save(update_fields=["capacity"])
    assert _places_left(browser.get(b, "/open-day/")[1]) == "3 places left"

    cancel_session(session=dialogue["session"])
    assert "Cancelled" in browser.get(a, f"/agenda/sessions/{dialogue['session'].pk}/")[1]
    assert "Cancelled" in browser.get(b, f"/agenda/sessions/{dialogue['session'].pk}/")[1]


def test_signed_in_on_one_registered_through_the_other(instances, dialogue):
    a, b = instances
    browser = Browser()
    status, _ = browser.post(a, "/accounts/login/", {"login": "guest@example.org",
                                                     "password": PASSWORD})  # fmt: skip
    assert status == 200

    assert browser.get(b, "/me/")[0] == 200  # the session lives in the database
    status, page = browser.post(b, "/register/?type=open-day", {"type": dialogue["open_day"].pk})
    assert status == 200, page[-2000:]
    assert _places_left(browser.get(a, "/open-day/")[1]) == "4 places left"

    pending = RegistrationFactory(event=dialogue["event"], type=dialogue["open_day"])
    approve_registration(registration=pending, by=UserFactory(is_staff=True))
    assert _places_left(browser.get(b, "/open-day/")[1]) == "3 places left"
    assert Registration.objects.filter(status=Registration.Status.APPROVED).count() == 2


def test_a_rate_limit_counts_requests_to_both_instances(instances, dialogue):
    a, b = instances
    browser = Browser()
    limit = int(settings.SANJOSE_RATE_LIMITS["invitation"].split("/")[0])
    codes = [browser.get(a if n % 2 else b, "/invitation/not-a-token/")[0] for n in range(limit)]
    assert set(codes) == {404}

    assert browser.get(a, "/invitation/not-a-token/")[0] == 429
    assert browser.get(b, "/invitation/not-a-token/")[0] == 429
