"""Feedback: one evaluation per session and one for the whole event, by those who came.

An answer is anonymous unless the person chooses to give their name: an anonymous
`FeedbackAnswer` holds no link to anyone (no person, no time, a random key, so neither
order nor timing ties it to a receipt). That the person answered is a separate
`FeedbackReceipt` (who, what; nothing of the answer), which is what stops a second answer.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FeedbackAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="feedback_answers",
        verbose_name=_("event"),
    )
    # None: the evaluation of the whole event.
    session = models.ForeignKey(
        "events.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_answers",
        verbose_name=_("session"),
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Only when the person chose to give their name (then they may edit the answer).
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="named_feedback",
        verbose_name=_("participant"),
    )

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_one_to_five",
                violation_error_message=_("The rating goes from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class FeedbackReceipt(models.Model):
    """That a person answered one evaluation (nothing of what they answered)."""

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="feedback_receipts",
        verbose_name=_("participant"),
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    session = models.ForeignKey(
        "events.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )

    class Meta:
        verbose_name = _("feedback given")
        verbose_name_plural = _("feedback given")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"],
                condition=Q(session__isnull=False),
                name="one_feedback_per_session",
            ),
            models.UniqueConstraint(
                fields=["participant", "event"],
                condition=Q(session__isnull=True),
                name="one_feedback_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.session_id or self.event_id}"
