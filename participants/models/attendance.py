"""Sign-ups for sessions, check-ins at the desk, and the log of personal-data exports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionSignup(models.Model):
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="signups"
    )
    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="signups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "created_at"]
        verbose_name = _("session sign-up")
        verbose_name_plural = _("session sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"], name="one_signup_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.session}"


class CheckIn(models.Model):
    registration = models.ForeignKey(
        "participants.Registration", on_delete=models.CASCADE, related_name="check_ins"
    )
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-checked_in_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="one_check_in_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.participant} on {self.day}"


class ExportLog(models.Model):
    """The audit log: who exported which personal data (when, which list, filter, how
    many rows), and who added, changed or deleted a person's data in the admin (which
    record, which fields: their names, never their values)."""

    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        ADD = "add", _("Added")
        CHANGE = "change", _("Changed")
        DELETE = "delete", _("Deleted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    action = models.CharField(
        _("action"), max_length=10, choices=Action.choices, default=Action.EXPORT
    )
    # An export: the list; a change: the model (e.g. "participants.participant").
    kind = models.CharField(_("list or record type"), max_length=60)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    object_id = models.CharField(_("record"), max_length=40, blank=True)
    fields = models.JSONField(_("fields changed"), default=list, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        what = f"{self.kind}.{self.file_format}" if self.file_format else self.kind
        return f"{self.action} {what} by {self.user} at {self.at:%Y-%m-%d %H:%M}"
