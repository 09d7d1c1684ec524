"""Badges' check-in codes and the check-in desk.

A badge's QR code carries `check_in_code(registration)`: the registration's random
check-in secret, signed with the site's key (django.core.signing, its own salt). The desk
accepts only a code whose signature holds, so a code cannot be made up from a
registration number, and an altered one is refused before any lookup.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction

from events.models import EventDay
from sanjose import clock

from ..models import CheckIn, Registration

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


def registration_for_code(code: str) -> Registration | None:
    """The registration a genuine code names, or None for a forged or altered one."""
    try:
        secret = signing.Signer(salt=SALT).unsign(code.strip())
    except signing.BadSignature:
        return None
    return (
        Registration.objects.select_related("participant", "type", "event")
        .filter(check_in_secret=secret)
        .first()
    )


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
