"""Approved for this event: one QuerySet rule (`Registration.objects.approved_for`) and
its in-memory twin (`Registration.is_approved`), and no hand-written copy of it elsewhere."""

import re
from pathlib import Path

import pytest

from participants.models import Registration
from tests.factories import EventFactory, RegistrationFactory, RegistrationTypeFactory

ROOT = Path(__file__).resolve().parents[3]
# A status filter or comparison against "approved" written out by hand.
HAND_WRITTEN = re.compile(
    r"\b(\w+__)?status=\S*(Status\.APPROVED|\"approved\")"
    r"|status\s*[!=]=\s*\S*(Status\.APPROVED|[\"']approved[\"'])"
)
# Where the rule itself lives.
THE_RULE = {Path("participants/registration/models.py")}


@pytest.fixture
def registrations(db):
    event, other_event = EventFactory(), EventFactory()
    statuses = [choice for choice, _label in Registration.Status.choices]
    here = {status: RegistrationFactory(event=event, status=status) for status in statuses}
    elsewhere = RegistrationFactory(event=other_event, status=Registration.Status.APPROVED)
    return event, here, elsewhere


def test_approved_for_an_event_is_its_approved_registrations_only(registrations):
    event, here, elsewhere = registrations

    assert list(Registration.objects.approved_for(event)) == [here["approved"]]
    assert list(Registration.objects.approved_for(event.pk)) == [here["approved"]]
    assert set(Registration.objects.approved()) == {here["approved"], elsewhere}


def test_is_approved_is_true_for_the_approved_status_alone(registrations):
    _event, here, _elsewhere = registrations

    assert {status for status, r in here.items() if r.is_approved} == {"approved"}


def test_participant_access_needs_approval_and_a_type_that_grants_it(db):
    event = EventFactory()
    full = RegistrationTypeFactory(event=event, grants_participant_access=True)
    open_day = RegistrationTypeFactory(event=event, grants_participant_access=False)
    participant = RegistrationFactory(event=event, type=full, status="approved")
    RegistrationFactory(event=event, type=open_day, status="approved")
    RegistrationFactory(event=event, type=full, status="waitlisted")

    assert list(Registration.objects.admitting_participants()) == [participant]


def test_approved_is_not_written_out_by_hand_outside_the_rule():
    sources = [
        path
        for app in ("participants", "events", "documents", "sanjose", "templates")
        for path in (ROOT / app).rglob("*")
        if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts
    ]
    copies = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        if path.relative_to(ROOT) not in THE_RULE
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if HAND_WRITTEN.search(line)
    ]

    assert copies == []
