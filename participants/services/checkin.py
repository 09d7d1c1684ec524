"""Badges' check-in codes and the check-in desk.

A badge's QR code carries `check_in_code(registration)`: the registration's random
check-in secret, signed with the site's key (django.core.signing, its own salt). The desk
accepts only a code whose signature holds, so a code cannot be made up from a
registration number, and an altered one is refused before any lookup. Under the QR code
the badge shows the registration's short desk code (8 characters from an alphabet without
look-alikes), stored and unique, for the desk to type; revoking a badge renews both.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction

from events.models import EventDay
from sanjose import clock

from ..models import CheckIn, Registration
from ..models.registrations import DESK_CODE_ALPHABET, DESK_CODE_LENGTH, new_desk_code

SALT = "participants.check-in"


class Outcome(StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NOT_APPROVED = "not_approved"
    NOT_THIS_DAY = "not_this_day"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckInResult:
    outcome: Outcome
    registration: Registration | None = None
    day: date | None = None
    checked_in_at: datetime | None = None


def check_in_code(registration: Registration) -> str:
    """The signed code a badge's QR code shows; stable for the registration."""
    return signing.Signer(salt=SALT).sign(registration.check_in_secret)


def desk_code_display(code: str) -> str:
    """A desk code in two groups of four, easier to read aloud: "K7MP-3QXD"."""
    return f"{code[:4]}-{code[4:]}"


def normalised_desk_code(text: str) -> str | None:
    """A typed desk code without spaces or dashes, in capitals; None if it cannot be one."""
    code = re.sub(r"[\s\-–]", "", text).upper()
    if len(code) == DESK_CODE_LENGTH and all(c in DESK_CODE_ALPHABET for c in code):
        return code
    return None


def registration_for_code(code: str) -> Registration | None:
    """The registration a typed desk code or a genuine signed code names; None for an
    unknown, forged or altered one."""
    registrations = Registration.objects.select_related("participant", "type", "event")
    desk_code = normalised_desk_code(code)
    if desk_code is not None:
        return registrations.filter(desk_code=desk_code).first()
    try:
        secret = signing.Signer(salt=SALT).unsign(code.strip())
    except signing.BadSignature:
        return None
    return registrations.filter(check_in_secret=secret).first()


@transaction.atomic
def revoke_badge(*, registration: Registration) -> Registration:
    """Give the registration a new badge: a new check-in secret and desk code, so the old
    QR code and the old desk code are refused from now on. Sends nothing."""
    registration.check_in_secret = secrets.token_urlsafe()
    registration.desk_code = new_desk_code()
    registration.save(update_fields=["check_in_secret", "desk_code", "updated_at"])
    return registration


def event_day_today(registration: Registration) -> date:
    """Today's date in the event's own time zone."""
    return clock.now().astimezone(registration.event.zone).date()


def check_in_by_code(*, code: str, by: AbstractBaseUser) -> CheckInResult:
    """Check in the holder of a badge code for today; see `check_in`."""
    registration = registration_for_code(code)
    if registration is None:
        return CheckInResult(Outcome.UNKNOWN)
    return check_in(registration=registration, by=by)


@transaction.atomic
def check_in(*, registration: Registration, by: AbstractBaseUser) -> CheckInResult:
    """Record that `registration` arrived today (event time), once per day.

    Writes at most one CheckIn row; sends nothing. Refuses a registration that is not
    approved and a day its registration type does not cover. Two desks scanning the same
    badge at once make one row: the unique (registration, day) constraint lets one insert
    win and the other reads it back.
    """
    day = event_day_today(registration)
    if registration.status != Registration.Status.APPROVED:
        return CheckInResult(Outcome.NOT_APPROVED, registration, day)
    if not _covers(registration, day):
        return CheckInResult(Outcome.NOT_THIS_DAY, registration, day)
    check_in, created = CheckIn.objects.get_or_create(
        registration=registration,
        day=day,
        defaults={"checked_in_at": clock.now(), "checked_in_by": by},
    )
    outcome = Outcome.CHECKED_IN if created else Outcome.ALREADY
    return CheckInResult(outcome, registration, day, check_in.checked_in_at)


def _covers(registration: Registration, day: date) -> bool:
    return EventDay.objects.filter(registration_types=registration.type_id, date=day).exists()
