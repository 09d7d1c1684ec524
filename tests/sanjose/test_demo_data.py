"""The demo as data: what it shows is what was recorded, its counters are the services'."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from events.models import Session
from participants.models import RegistrationType, SessionSignup
from tests.sanjose.demo_snapshot import RECORDED, demo_snapshot


def load(*args: str) -> None:
    call_command("load_demo", *args, stdout=StringIO())


def snapshot() -> dict:
    return json.loads(json.dumps(demo_snapshot()))


def assert_counters_equal_rows() -> None:
    types = RegistrationType.objects.annotate(
        rows=Count("registrations", filter=Q(registrations__status="approved"))
    )
    assert [(t.slug, t.approved_count) for t in types] == [(t.slug, t.rows) for t in types]
    sessions = Session.objects.annotate(
        rows=Count("signups", filter=Q(signups__status=SessionSignup.Status.CONFIRMED))
    ).filter(signup_required=True)
    assert sessions.exists()
    assert [(s.title_en, s.signup_count) for s in sessions] == [
        (s.title_en, s.rows) for s in sessions
    ]


@pytest.mark.django_db
def test_the_demo_shows_what_was_recorded_and_again_when_reloaded():
    recorded = json.loads(RECORDED.read_text())

    load()
    assert snapshot() == recorded
    load()
    assert snapshot() == recorded


@pytest.mark.django_db
def test_the_demo_counters_equal_their_rows_also_after_a_shift():
    load()
    assert_counters_equal_rows()

    load("--start", "2027-01-11")
    assert_counters_equal_rows()
