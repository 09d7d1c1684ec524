"""The demo's certificates and letters: the event's templates (the built-in texts, signed by
an invented office), and a few invitation-letter requests, issued and waiting."""

from events.models import Event

from .models import CertificateKind, CertificateTemplate, LetterRequest, Registration
from .services.certificate_texts import DEFAULT_TEXTS
from .services.certificates import request_letter

SIGNATURE = {
    "en": "Programme Office, ECPAT International",
    "es": "Oficina del Programa, ECPAT International",
}
LETTERS_ISSUED = 4  # full-Dialogue participants: issued at once by the rule
LETTERS_WAITING = 2  # open-day guests: waiting for staff in the admin


def build_certificates(*, event: Event) -> None:
    """Templates of both kinds and letter requests; idempotent."""
    for kind in CertificateKind.values:
        texts = DEFAULT_TEXTS[kind]
        CertificateTemplate.objects.get_or_create(
            event=event,
            kind=kind,
            defaults={
                **{
                    f"{part}_{lang}": texts[lang][part]
                    for lang in texts
                    for part in ("title", "body")
                },
                "signature_en": SIGNATURE["en"],
                "signature_es": SIGNATURE["es"],
            },
        )
    approved = (
        Registration.objects.filter(event=event, status=Registration.Status.APPROVED)
        .select_related("participant", "type")
        .order_by("pk")
    )
    for participant_access, wanted in ((True, LETTERS_ISSUED), (False, LETTERS_WAITING)):
        people = approved.filter(type__grants_participant_access=participant_access)
        asked = LetterRequest.objects.filter(registration__in=people).count()
        for registration in people.filter(letter_request__isnull=True)[: max(wanted - asked, 0)]:
            participant = registration.participant
            request_letter(
                registration=registration,
                passport_name=participant.badge_name.upper(),
                nationality=participant.country.code,
            )
