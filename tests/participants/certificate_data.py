"""A small event, a checked-in attendee with accents in every name, and PDF reading, for the
certificate and letter tests."""

import io
from datetime import date, datetime, time

from django.test import Client
from pypdf import PdfReader

from participants.models import Registration
from tests.factories import (
    CheckInFactory,
    EventDayFactory,
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    StaffUserFactory,
)
from tests.signin import sign_in_staff

MONDAY, TUESDAY, WEDNESDAY = date(2024, 6, 3), date(2024, 6, 4), date(2024, 6, 5)
NAME = "José Ñúñez Conceição"
ORGANISATION = "Asociación Niñez Protegida São Tomé"


def pdf_text(content: bytes) -> str:
    """The text of every page of a PDF, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """PDF text with its line breaks and repeated spaces made single spaces."""
    return " ".join(text.split())


def checked_in(registration: Registration, *days: date) -> Registration:
    for day in days:
        CheckInFactory(
            registration=registration,
            day=day,
            checked_in_at=datetime.combine(day, time(8, 0), tzinfo=registration.event.zone),
        )
    return registration


def build_event():
    event = EventFactory(
        name="San José Dialogue 2024",
        slug="san-jose-2024",
        start_date=MONDAY,
        end_date=date(2024, 6, 7),
        venue="Hotel Example",
        city="San José",
        country="CR",
        is_current=True,
    )
    for day in (MONDAY, TUESDAY, WEDNESDAY):
        EventDayFactory(event=event, date=day)
    return event


def build_attendee(event) -> Registration:
    """An approved registration checked in on Monday and Wednesday (not Tuesday)."""
    participant = ParticipantFactory(badge_name=NAME, organisation=ORGANISATION)
    registration = RegistrationFactory(
        participant=participant, event=event, status=Registration.Status.APPROVED
    )
    return checked_in(registration, MONDAY, WEDNESDAY)


def staff_client(role: str) -> tuple[Client, object]:
    """A browser signed in (with two factors) as a staff member of `role`, and the user."""
    user = StaffUserFactory(roles=[role])
    return sign_in_staff(Client(), user), user
