"""The demo's certificates and letters: the event's templates (the built-in texts, signed by
an invented office), and a few invitation-letter requests, issued and waiting."""

from events.models import Event
from participants.certificates.services import request_letter
from participants.certificates.texts import DEFAULT_TEXTS
from participants.models import CertificateKind, CertificateTemplate, LetterRequest, Registration

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
        Registration.objects.approved_for(event)
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
