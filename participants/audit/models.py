"""The log of personal-data exports and admin changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
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
