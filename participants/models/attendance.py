"""Sign-ups for sessions, check-ins at the desk, and the log of personal-data exports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionSignupQuerySet(models.QuerySet):
    def confirmed(self) -> "SessionSignupQuerySet":
        """Sign-ups holding a seat (what schedules, feeds and reminders count)."""
        return self.filter(status=SessionSignup.Status.CONFIRMED)


class SessionSignup(models.Model):
    """A seat in a session that takes sign-ups, or a place on its waiting list.

    Seats are counted on the session (`Session.signup_count`), changed only by the
    sign-up services with conditional UPDATEs; cancelling deletes the row."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waiting list")

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="signups",
        verbose_name=_("participant"),
    )
    session = models.ForeignKey(
        "events.Session",
        on_delete=models.CASCADE,
        related_name="signups",
        verbose_name=_("session"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    objects = SessionSignupQuerySet.as_manager()

    class Meta:
        ordering = ["session", "created_at"]
        verbose_name = _("session sign-up")
        verbose_name_plural = _("session sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"], name="one_signup_per_session"
            ),
            models.UniqueConstraint(
                fields=["session", "waitlist_position"],
                condition=models.Q(waitlist_position__isnull=False),
                name="unique_signup_waitlist_position",
            ),
            models.CheckConstraint(
                condition=models.Q(status="waitlisted", waitlist_position__isnull=False)
                | models.Q(status="confirmed", waitlist_position__isnull=True),
                name="signup_waitlisted_has_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.session} ({self.get_status_display()})"


class CheckIn(models.Model):
    registration = models.ForeignKey(
        "participants.Registration",
        on_delete=models.CASCADE,
        related_name="check_ins",
        verbose_name=_("registration"),
    )
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
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
