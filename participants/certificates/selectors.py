"""What certificates and letters say, and what /me/ offers of them."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext

from participants.certificates.pdf import PrintedDocument
from participants.certificates.services import verification_code
from participants.certificates.texts import DEFAULT_TEXTS, fill
from participants.models import (
    Certificate,
    CertificateKind,
    CertificateTemplate,
    CheckIn,
    LetterRequest,
    Registration,
)

# A date in words, per language ("Tuesday 4 June 2024", "martes 4 de junio de 2024").
DAY_FORMATS = {"en": "l j F Y", "es": r"l j \d\e F \d\e Y"}
DATE_FORMATS = {"en": "j F Y", "es": r"j \d\e F \d\e Y"}


def template_texts(*, event_id: int, kind: str, language: str) -> dict[str, str]:
    """The title, body and signature of the event's template of `kind` in `language`
    (English where the Spanish is empty), or the built-in text while it has none."""
    template = CertificateTemplate.objects.filter(event_id=event_id, kind=kind).first()
    default = DEFAULT_TEXTS[kind][language]
    if template is None:
        return dict(default)
    texts = {}
    for part in ("title", "body", "signature"):
        texts[part] = getattr(template, f"{part}_{language}") or getattr(template, f"{part}_en")
    return texts


def _venue(event) -> str:
    return ", ".join(part for part in (event.venue, event.city, str(event.country.name)) if part)


def _dates(event, language: str) -> str:
    fmt = DATE_FORMATS[language]
    return gettext("%(first)s to %(last)s") % {
        "first": date_format(event.start_date, fmt),
        "last": date_format(event.end_date, fmt),
    }


def _days(days: list[date], language: str) -> str:
    words = [date_format(day, DAY_FORMATS[language]) for day in days]
    return str(get_text_list(words, gettext("and")))


def _values(certificate: Certificate, language: str) -> dict[str, str]:
    registration = certificate.registration
    participant, event = registration.participant, registration.event
    values = {
        "name": participant.badge_name,
        "organisation": participant.organisation,
        "event": event.name,
        "dates": _dates(event, language),
        "venue": _venue(event),
    }
    if certificate.kind == CertificateKind.ATTENDANCE:
        days = sorted(c.day for c in registration.check_ins.all())
        values |= {
            "days_attended": _days(days, language),
            "number_of_days": ngettext("%d day", "%d days", len(days)) % len(days),
        }
    else:
        letter = registration.letter_request
        values |= {
            "name": letter.passport_name,
            "nationality": str(letter.nationality.name),
            "registration_type": registration.type.name,
            # The day it was issued (again): the same date however often it is downloaded.
            "issue_date": date_format(
                certificate.issued_at.astimezone(event.zone), DATE_FORMATS[language]
            ),
        }
    return values


def certificate_with_details(pk: int) -> Certificate:
    """A certificate with everything its PDF shows, in a fixed number of queries."""
    return (
        Certificate.objects.select_related(
            "registration__participant",
            "registration__event",
            "registration__type",
            "registration__letter_request",
        )
        .prefetch_related(Prefetch("registration__check_ins", queryset=CheckIn.objects.all()))
        .get(pk=pk)
    )


def printed_document(*, certificate: Certificate, language: str) -> PrintedDocument:
    """The words of the certificate's PDF in `language`: its event's template filled with
    the person's details, and the verification code with where to check it."""
    with translation.override(language):
        values = _values(certificate, language)
        texts = template_texts(
            event_id=certificate.registration.event_id, kind=certificate.kind, language=language
        )
        code = verification_code(certificate)
        return PrintedDocument(
            landscape=certificate.kind == CertificateKind.ATTENDANCE,
            language=language,
            event_name=certificate.registration.event.name,
            title=fill(texts["title"], values),
            paragraphs=[fill(p.strip(), values) for p in texts["body"].split("\n\n") if p.strip()],
            signature=fill(texts["signature"], values),
            code=code,
            code_label=gettext("Verification code"),
            verify_label=gettext("Check it at"),
            verify_url=settings.SITE_URL + reverse("participants:verify_code", args=[code]),
            highlight=values["name"],
        )


# --- /me/ ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    registration: Registration
    days: list[date]
    withdrawn: bool


def my_attendance(*, participant) -> list[AttendanceEntry]:
    """Every event the person was checked in at, newest first, with the days, for the
    certificates of /me/ (three queries, whatever the number of events or days)."""
    registrations = (
        Registration.objects.filter(participant=participant, check_ins__isnull=False)
        .distinct()
        .select_related("event")
        .prefetch_related(
            "check_ins",
            Prefetch(
                "certificates",
                queryset=Certificate.objects.filter(kind=CertificateKind.ATTENDANCE),
                to_attr="attendance_certificates",
            ),
        )
        .order_by("-event__start_date")
    )
    return [
        AttendanceEntry(
            registration=r,
            days=sorted(c.day for c in r.check_ins.all()),
            withdrawn=any(c.revoked_at for c in r.attendance_certificates),
        )
        for r in registrations
    ]


def letter_request_of(registration: Registration | None) -> LetterRequest | None:
    if registration is None:
        return None
    return LetterRequest.objects.filter(registration=registration).first()
