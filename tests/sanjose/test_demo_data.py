"""The demo as data: what it shows is what was recorded, its counters are the services'."""

import ast
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from documents.models import Document
from events.models import Event, Session
from participants.models import Registration, RegistrationType, SessionSignup
from sanjose.demodata import default_folder
from tests.sanjose.demo_snapshot import RECORDED, demo_snapshot

ROOT = Path(__file__).resolve().parents[2]
DEMO_MODULES = [
    "events/demo.py",
    "participants/demo.py",
    "documents/demo.py",
    "participants/certificates/demo.py",
]


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


def broken_copy(tmp_path, name: str, extra: str):
    """A copy of the demo's data folder whose `name`.toml ends with `extra`."""
    folder = tmp_path / "demo"
    shutil.copytree(default_folder(), folder)
    path = folder / f"{name}.toml"
    path.write_text(path.read_text() + "\n" + extra)
    return folder


ROOM_BOOKED_TWICE = """
[[session]]
day = 1
start = "09:30"
end = "10:00"
room = "Sala Guanacaste"
kind = "panel"
audience = "participants"
title_en = "A panel laid over the opening plenary"
"""
DAY_THE_EVENT_HAS_NOT = ROOM_BOOKED_TWICE.replace("day = 1", "day = 6").replace(
    "Sala Guanacaste", "Sala Arenal"
)


@pytest.mark.django_db
def test_a_session_in_a_room_already_booked_is_refused_by_the_service_and_nothing_written(
    tmp_path,
):
    folder = broken_copy(tmp_path, "programme", ROOM_BOOKED_TWICE)

    with pytest.raises(CommandError) as error:
        load("--data", str(folder))

    assert str(error.value) == (
        "The demo was not loaded (nothing written): programme.toml, session 38 “A panel laid "
        "over the opening plenary”: room: Sala Guanacaste is already booked from Mon 3 Jun "
        "09:00 to 10:30 for “Opening plenary”."
    )
    assert (Event.objects.count(), Session.objects.count(), Registration.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.django_db
def test_a_session_on_a_day_the_event_has_not_is_refused_and_a_loaded_demo_kept(tmp_path):
    load()
    before = snapshot()
    folder = broken_copy(tmp_path, "programme", DAY_THE_EVENT_HAS_NOT)

    with pytest.raises(
        CommandError,
        match=r"session 38 “A panel laid over the opening plenary”: "
        r"day 6, but the event has days 1 to 5\.",
    ):
        load("--data", str(folder))

    assert snapshot() == before


@pytest.mark.django_db
def test_a_group_document_naming_no_group_is_refused_by_save_document(tmp_path):
    folder = broken_copy(
        tmp_path,
        "library",
        '[[document]]\ncategory = "other"\naccess = "groups"\ntitle_en = "For nobody"\n'
        'title_es = "Para nadie"\ndays_before = 1\nfiles = ["en"]\n',
    )

    with pytest.raises(
        CommandError,
        match=r"library.toml, document 22 “For nobody”: groups: "
        r"Choose the groups that may see this document\.",
    ):
        load("--data", str(folder))

    assert Document.objects.count() == 0


def test_the_demo_modules_leave_counters_and_statuses_to_the_services():
    """No `.update(` (the counters: approved_count, signup_count), no `_recount`, no
    update_or_create/get_or_create/create of sessions, registrations or sign-ups: each
    goes through save_session, register/approve/decline and sign_up."""
    written_by_services = {"Session", "Registration", "SessionSignup", "Document"}
    found = []
    for path in DEMO_MODULES:
        tree = ast.parse((ROOT / path).read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            name, target = node.func.attr, node.func.value
            if name == "update" or name == "_recount":
                found.append(f"{path}:{node.lineno} .{name}(")
            if (
                name in {"update_or_create", "get_or_create", "create", "bulk_create"}
                and isinstance(target, ast.Attribute)
                and target.attr == "objects"
                and isinstance(target.value, ast.Name)
                and target.value.id in written_by_services
            ):
                found.append(f"{path}:{node.lineno} {target.value.id}.objects.{name}(")
    assert found == []
    assert all((ROOT / path).exists() for path in DEMO_MODULES)
