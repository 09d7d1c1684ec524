"""Certificates of attendance and invitation letters: issuing, revoking, verifying.

**Codes.** Each issued certificate or letter has a random serial (40 bits). Its
verification code is the serial followed by an HMAC of it under the site's secret key
(`salted_hmac`, a salt of its own, 40 bits), printed as XXXX-XXXX-XXXX-XXXX. The
public verification page answers only for a code whose HMAC holds and whose row is
still valid, so a code can be neither guessed nor made from a serial; revoking or
issuing again (a new serial) makes every earlier code "not valid".

**Who gets what.**
- A certificate of attendance: any registration checked in on at least one day; it is
  issued the first time the person downloads it.
- An invitation letter: an approved registration whose person asks for one with the
  name in their passport and their nationality. The rule: on a type that grants
  participant access (people staff approved or invited) the letter is issued at once;
  on any other type (the open day, approved first come first served with no staff
  review) staff decide in the admin. A letter stays valid while its registration is
  approved.
"""

import base64
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from participants.models import Certificate, CertificateKind, CheckIn, LetterRequest, Registration
from sanjose import clock
from sanjose.outbox.services import queue_email

SALT = "participants.certificate-code"
CODE_LENGTH = 16


class CertificateError(Exception):
    """A request the rules refuse; its message is for the person."""


NOT_ATTENDED = _("A certificate of attendance needs at least one day checked in.")
REVOKED = _("This certificate was withdrawn. Please contact ECPAT staff.")
NOT_APPROVED = _("Invitation letters are for participants whose registration is approved.")
ALREADY_ASKED = _("You have already asked for an invitation letter.")


# --- Codes ---------------------------------------------------------------------------------


def _signature(serial: str) -> str:
    digest = salted_hmac(SALT, serial, algorithm="sha256").digest()
    return base64.b32encode(digest[:5]).decode()


def verification_code(certificate: Certificate) -> str:
    """The code printed on the PDF: serial and signature, in groups of four."""
    raw = certificate.serial + _signature(certificate.serial)
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _normalised(code: str) -> str:
    """What someone typed, without spaces or dashes, in capitals; 0 and 1 read as O and I
    (base 32 has neither digit)."""
    kept = "".join(c for c in code.upper() if c.isalnum())
    return kept.replace("0", "O").replace("1", "I")


def certificate_for_code(code: str) -> Certificate | None:
    """The certificate a genuine code names (revoked or not), or None for any other text."""
    raw = _normalised(code)
    if len(raw) != CODE_LENGTH:
        return None
    serial, signature = raw[:8], raw[8:]
    if not constant_time_compare(signature, _signature(serial)):
        return None
    return (
        Certificate.objects.select_related(
            "registration__participant", "registration__event", "registration__letter_request"
        )
        .filter(serial=serial)
        .first()
    )


@dataclass(frozen=True)
class Verification:
    """All the verification page may say about a valid code."""

    name: str
    event: str


def verify_code(code: str) -> Verification | None:
    """Whether `code` is a valid certificate or letter now, and for whom; None otherwise
    (forged, unknown, revoked, or its registration no longer admits it)."""
    certificate = certificate_for_code(code)
    if certificate is None or certificate.revoked_at is not None:
        return None
    registration = certificate.registration
    if certificate.kind == CertificateKind.INVITATION_LETTER:
        letter = getattr(registration, "letter_request", None)
        if not registration.is_approved or letter is None:
            return None
        name = letter.passport_name
    else:
        if not CheckIn.objects.filter(registration=registration).exists():
            return None
        name = registration.participant.badge_name
    return Verification(name=name, event=registration.event.name)


# --- Certificates of attendance ---------------------------------------------------------------


def has_attended(registration: Registration) -> bool:
    return CheckIn.objects.filter(registration=registration).exists()


@transaction.atomic
def issue_certificate(*, registration: Registration) -> Certificate:
    """The registration's certificate of attendance, issued now if it was not yet.
    Refused (CertificateError) without a check-in, or when staff withdrew it. Sends
    nothing."""
    if not has_attended(registration):
        raise CertificateError(NOT_ATTENDED)
    certificate, _created = Certificate.objects.get_or_create(
        registration=registration,
        kind=CertificateKind.ATTENDANCE,
        defaults={"issued_at": clock.now()},
    )
    if certificate.revoked_at is not None:
        raise CertificateError(REVOKED)
    return certificate


@transaction.atomic
def revoke_certificate(*, certificate: Certificate) -> bool:
    """Withdraw a certificate or letter: its code answers "not valid" from now on and
    the person can no longer download it. Returns whether it was valid until now."""
    return bool(
        Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
    )


@transaction.atomic
def reissue_certificate(*, certificate: Certificate) -> Certificate:
    """Issue a certificate or letter again under a new serial (a lost or leaked code):
    the old code is "not valid" from now on, the new one valid."""
    certificate.serial = Certificate._meta.get_field("serial").default()
    certificate.issued_at = clock.now()
    certificate.revoked_at = None
    certificate.save(update_fields=["serial", "issued_at", "revoked_at"])
    return certificate


# --- Invitation letters --------------------------------------------------------------------


def may_request_letter(registration: Registration | None) -> bool:
    return registration is not None and registration.is_approved


def letter_is_automatic(registration: Registration) -> bool:
    """The rule of the module docstring: issued at once for types of the full Dialogue."""
    return registration.type.grants_participant_access


def _issue_letter(letter_request: LetterRequest, *, by) -> LetterRequest:
    Certificate.objects.update_or_create(
        registration=letter_request.registration,
        kind=CertificateKind.INVITATION_LETTER,
        defaults={
            "issued_at": clock.now(),
            "revoked_at": None,
            "serial": Certificate._meta.get_field("serial").default(),
        },
    )
    letter_request.status = LetterRequest.Status.ISSUED
    letter_request.decided_by = by
    letter_request.decided_at = clock.now()
    letter_request.decline_reason = ""
    letter_request.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    return letter_request


@transaction.atomic
def request_letter(
    *, registration: Registration, passport_name: str, nationality: str
) -> LetterRequest:
    """Record a request for an invitation letter; issue it at once if the rule says so
    (letter_is_automatic), else leave it for staff. Refused (CertificateError) unless the
    registration is approved and has no request yet. Sends nothing."""
    registration = (
        Registration.objects.select_for_update().select_related("type").get(pk=registration.pk)
    )
    if not may_request_letter(registration):
        raise CertificateError(NOT_APPROVED)
    if LetterRequest.objects.filter(registration=registration).exists():
        raise CertificateError(ALREADY_ASKED)
    letter_request = LetterRequest.objects.create(
        registration=registration, passport_name=passport_name.strip(), nationality=nationality
    )
    if letter_is_automatic(registration):
        _issue_letter(letter_request, by=None)
    return letter_request


def _queue_decision_email(letter_request: LetterRequest, *, kind: str) -> None:
    """Tell the person what staff decided (in their language, through the outbox)."""
    registration = letter_request.registration
    participant = registration.participant
    queue_email(
        recipient=participant.user.email,
        user=participant.user,
        kind=kind,
        # Keyed on the registration, so the event's anonymisation takes these emails too.
        object_key=f"registration:{registration.pk}",
        occasion=f"letter:{letter_request.pk}:{letter_request.decided_at.isoformat()}",
        template=kind,
        language=participant.preferred_language,
        context={
            "participant": participant,
            "event": registration.event,
            "reason": letter_request.decline_reason,
            "letter_url": settings.SITE_URL + reverse("participants:letter"),
        },
    )


@transaction.atomic
def approve_letter(*, letter_request: LetterRequest, by) -> LetterRequest:
    """Staff issue the letter (a new code if it had one) and the person is emailed that
    it is ready. Refused while the registration is not approved."""
    if not may_request_letter(letter_request.registration):
        raise CertificateError(NOT_APPROVED)
    _issue_letter(letter_request, by=by)
    _queue_decision_email(letter_request, kind="letter_issued")
    return letter_request


@transaction.atomic
def decline_letter(*, letter_request: LetterRequest, by, reason: str = "") -> LetterRequest:
    """Staff decline the request (the reason is shown to the person, and emailed); a
    letter already issued is withdrawn (its code becomes "not valid")."""
    Certificate.objects.filter(
        registration=letter_request.registration, kind=CertificateKind.INVITATION_LETTER
    ).delete()
    letter_request.status = LetterRequest.Status.DECLINED
    letter_request.decided_by = by
    letter_request.decided_at = clock.now()
    letter_request.decline_reason = reason.strip()
    letter_request.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    _queue_decision_email(letter_request, kind="letter_declined")
    return letter_request


@transaction.atomic
def delete_letter_request(*, letter_request: LetterRequest) -> None:
    """The person deletes their request: the passport name and nationality are gone,
    and so is the letter (its code answers "not valid"). They may ask again."""
    Certificate.objects.filter(
        registration_id=letter_request.registration_id, kind=CertificateKind.INVITATION_LETTER
    ).delete()
    LetterRequest.objects.filter(pk=letter_request.pk).delete()


def issued_letter(registration: Registration) -> Certificate | None:
    """The registration's letter, if issued, valid and its registration still approved."""
    if not may_request_letter(registration):
        return None
    return Certificate.objects.filter(
        registration=registration,
        kind=CertificateKind.INVITATION_LETTER,
        revoked_at__isnull=True,
        registration__letter_request__status=LetterRequest.Status.ISSUED,
    ).first()


def letter_withdrawn(registration: Registration) -> bool:
    """Whether staff revoked the registration's letter (it stays so until issued again)."""
    return Certificate.objects.filter(
        registration=registration,
        kind=CertificateKind.INVITATION_LETTER,
        revoked_at__isnull=False,
    ).exists()
