"""Every email is first a row here, written in the transaction of the change that causes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    # What the message is about and on which occasion: with recipient and kind, the
    # unique key that stops a second copy of the same email.
    object_key = models.CharField(_("object"), max_length=100)
    occasion = models.CharField(_("occasion"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    subject = models.CharField(_("subject"), max_length=250)
    # A message that carries a one-time link or code (sign-in, confirmation, password
    # reset, invitation): its body is sealed (sanjose/sealing.py), never shown in the
    # admin, and dropped as soon as it is sent.
    is_secret = models.BooleanField(_("carries a secret link or code"), default=False)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # When the body was dropped: at once for a sent secret message, after
    # OUTBOX_BODY_RETENTION_DAYS for the others. The row (and its key) stays.
    body_purged_at = models.DateTimeField(_("body removed at"), null=True, blank=True)
    # For the optional kinds: the signed one-click link, also sent as List-Unsubscribe.
    unsubscribe_url = models.CharField(_("unsubscribe link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Counted when a worker claims the row, so a message that kills its worker every
    # time still reaches the limit and ends as failed instead of looping.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_key", "occasion"], name="one_email_per_key"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["kind", "object_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.status})"

    @property
    def message_id(self) -> str:
        """A stable Message-ID: a receiver can tell a re-sent copy from a new email."""
        return f"<outbox-{self.pk}@sanjose-dialogue>"


class SessionNotice(models.Model):
    """What participants were last told about a session, for the schedule-change scan.

    The agenda bumps `Session.sequence` on every change participants can see. The scan
    records the sequence it sees and when it first saw it; once the session has been
    quiet for a few minutes it notifies once and remembers the sequence it notified.
    """

    session = models.OneToOneField(
        "events.Session", on_delete=models.CASCADE, related_name="notice", verbose_name=_("session")
    )
    notified_sequence = models.PositiveIntegerField(_("last notified sequence"))
    seen_sequence = models.PositiveIntegerField(_("last seen sequence"))
    seen_at = models.DateTimeField(_("first seen at"))

    class Meta:
        verbose_name = _("session change notice")
        verbose_name_plural = _("session change notices")

    def __str__(self) -> str:
        return f"{self.session_id}: notified {self.notified_sequence}, seen {self.seen_sequence}"
