"""Sign-ups for sessions."""

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
