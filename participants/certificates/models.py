"""Certificates of attendance and invitation letters: their templates, the issued ones
(each with a verification code), and the requests for a letter.

A `Certificate` is one issued PDF of either kind for one registration. Its PDF is drawn
anew from the event's template whenever it is downloaded; what stays is the random
`serial` that, signed, makes the printed verification code
(participants.certificates.services). Revoking it, or issuing it again with a new serial,
makes every earlier code "not valid".
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from sanjose.i18n import Translated

SERIAL_BYTES = 5  # 40 random bits, shown as 8 base-32 characters


def new_serial() -> str:
    """The random part of a verification code: 8 characters of base 32 (A–Z, 2–7)."""
    return base64.b32encode(secrets.token_bytes(SERIAL_BYTES)).decode()


class CertificateKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Certificate of attendance")
    INVITATION_LETTER = "invitation_letter", _("Invitation letter")


class CertificateTemplate(models.Model):
    """The wording of one kind of certificate or letter for one event, in English and
    Spanish, with placeholders such as {name} (the service lists them and refuses
    any other)."""

    Kind = CertificateKind

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="certificate_templates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    body_en = models.TextField(
        _("text (English)"), help_text=_("Paragraphs separated by an empty line.")
    )
    body_es = models.TextField(_("text (Spanish)"), blank=True)
    signature_en = models.CharField(
        _("signed by (English)"),
        max_length=300,
        blank=True,
        help_text=_("Printed under the text, e.g. a name and position."),
    )
    signature_es = models.CharField(_("signed by (Spanish)"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    title = Translated("title")
    body = Translated("body")
    signature = Translated("signature")

    class Meta:
        ordering = ["event", "kind"]
        verbose_name = _("certificate or letter template")
        verbose_name_plural = _("certificate and letter templates")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind"],
                name="one_certificate_template_per_kind",
                violation_error_message=_("This event already has a template of this kind."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.event}"


class Certificate(models.Model):
    """One issued certificate of attendance or invitation letter, for one registration."""

    Kind = CertificateKind

    registration = models.ForeignKey(
        "participants.Registration", on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    serial = models.CharField(_("serial"), max_length=16, unique=True, default=new_serial)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("issued certificate or letter")
        verbose_name_plural = _("issued certificates and letters")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"], name="one_certificate_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"


class LetterRequest(models.Model):
    """A request for an invitation letter (visa, travel). The passport name and
    nationality are asked for this letter only, printed in it and nowhere else, and go
    when the person deletes the request, their account, or when the event's personal
    data is anonymised."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        ISSUED = "issued", _("Issued")
        DECLINED = "declined", _("Declined")

    registration = models.OneToOneField(
        "participants.Registration", on_delete=models.CASCADE, related_name="letter_request"
    )
    passport_name = models.CharField(
        _("name as in the passport"),
        max_length=200,
        help_text=_("Exactly as printed in your passport."),
    )
    nationality = CountryField(_("nationality"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.TextField(
        _("reason (shown to the person)"), blank=True, max_length=1000
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation letter request")
        verbose_name_plural = _("invitation letter requests")

    def __str__(self) -> str:
        return f"{self.registration.participant} ({self.get_status_display()})"
