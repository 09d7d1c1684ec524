"""The words of certificates and letters: placeholders, their check, the built-in texts.

A template's title, text and signature may use only the placeholders of its kind, written
in braces (`{name}`). Filling one puts plain text in their place (no markup, no code: the
PDF draws text), so an editor cannot reach anything but the values listed here. A brace
that opens no known placeholder is refused when the template is saved, with a message
naming the placeholder and listing the ones there are.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.models import CertificateKind

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

PLACEHOLDERS: dict[str, dict[str, str]] = {
    CertificateKind.ATTENDANCE: {
        "name": _("the person's name"),
        "organisation": _("their organisation"),
        "event": _("the event's name"),
        "dates": _("the event's first and last day"),
        "venue": _("venue, city and country"),
        "days_attended": _("the days they were checked in"),
        "number_of_days": _("how many days that is, as in “3 days”"),
    },
    CertificateKind.INVITATION_LETTER: {
        "name": _("the name as in the passport"),
        "nationality": _("the nationality"),
        "organisation": _("their organisation"),
        "event": _("the event's name"),
        "dates": _("the event's first and last day"),
        "venue": _("venue, city and country"),
        "registration_type": _("what they are registered for"),
        "issue_date": _("the date of the letter"),
    },
}


def placeholder_list(kind: str) -> str:
    """ "{name}, {organisation}, …": the placeholders of `kind`, for messages and help."""
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS[kind])


def check_template_text(*, text: str, kind: str) -> None:
    """Raise ValidationError (translated) if `text` uses a placeholder unknown to `kind`
    or a brace that belongs to no placeholder."""
    known = PLACEHOLDERS[kind]
    for name in PLACEHOLDER.findall(text):
        if name not in known:
            raise ValidationError(
                gettext("Unknown placeholder {%(name)s}. The placeholders are: %(known)s.")
                % {"name": name, "known": placeholder_list(kind)},
                code="unknown_placeholder",
            )
    if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
        raise ValidationError(
            gettext("A brace must open and close a placeholder, as in {name}."),
            code="stray_brace",
        )


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each placeholder replaced by its value (as plain text)."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


# Used while an event has no template of a kind (and offered when staff add one).
DEFAULT_TEXTS: dict[str, dict[str, dict[str, str]]] = {
    CertificateKind.ATTENDANCE: {
        "en": {
            "title": "Certificate of attendance",
            "body": (
                "This is to certify that\n\n{name}\n{organisation}\n\n"
                "took part in {event}, held in {venue} from {dates}, "
                "and attended on {days_attended} ({number_of_days})."
            ),
            "signature": "ECPAT International",
        },
        "es": {
            "title": "Certificado de asistencia",
            "body": (
                "Se certifica que\n\n{name}\n{organisation}\n\n"
                "participó en {event}, celebrado en {venue} del {dates}, "
                "y asistió el {days_attended} ({number_of_days})."
            ),
            "signature": "ECPAT International",
        },
    },
    CertificateKind.INVITATION_LETTER: {
        "en": {
            "title": "Letter of invitation",
            "body": (
                "{issue_date}\n\nTo whom it may concern,\n\n"
                "ECPAT International invites {name}, a national of {nationality}, of "
                "{organisation}, to take part in {event} ({registration_type}), to be held "
                "in {venue} from {dates}.\n\n"
                "This letter is issued at the participant's request for visa and travel "
                "purposes only. It does not commit ECPAT International to any cost of "
                "travel or stay unless agreed in writing."
            ),
            "signature": "ECPAT International",
        },
        "es": {
            "title": "Carta de invitación",
            "body": (
                "{issue_date}\n\nA quien corresponda:\n\n"
                "ECPAT International invita a {name}, de nacionalidad {nationality}, de "
                "{organisation}, a participar en {event} ({registration_type}), que se "
                "celebrará en {venue} del {dates}.\n\n"
                "Esta carta se emite a petición de la persona participante, solo para "
                "trámites de visado y viaje. No compromete a ECPAT International a cubrir "
                "gastos de viaje o estancia salvo acuerdo por escrito."
            ),
            "signature": "ECPAT International",
        },
    },
}
