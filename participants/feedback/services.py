"""Feedback: answering an evaluation (anonymous by default), and the evening reminder.

An anonymous answer keeps no link to the person (see participants.feedback.models); the
receipt written beside it is what refuses a second answer. A named answer stays the
person's to edit until feedback closes.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, Session
from participants.feedback.selectors import attended_event, attended_sessions, feedback_is_open
from participants.models import (
    CheckIn,
    FeedbackAnswer,
    FeedbackReceipt,
    Participant,
    Registration,
    SessionSignup,
)
from sanjose import clock
from sanjose.access import viewer_for
from sanjose.outbox.services import PreparedEmail, queue_prepared_emails, render_email

FEEDBACK_REMINDER = "feedback_reminder"
REMINDER_HOUR = time(18, 0)


class FeedbackRefused(ValidationError):
    pass


@transaction.atomic
def give_feedback(
    *,
    participant: Participant,
    event: Event,
    session: Session | None,
    rating: int,
    comment: str,
    anonymous: bool,
    language: str,
) -> FeedbackAnswer:
    """Record the person's evaluation of a session they attended (or of the whole event):
    a receipt that they answered and the answer itself, with no link to them when
    anonymous. A named answer is updated in place (made anonymous if they now ask);
    an anonymous one is final. Refuses when closed, not attended or already answered
    anonymously (FeedbackRefused, with a message for the person). Sends nothing."""
    _check_may_answer(participant=participant, event=event, session=session)
    receipt, created = FeedbackReceipt.objects.select_for_update().get_or_create(
        participant=participant, event=event, session=session
    )
    answer = None
    if not created:
        answer = (
            FeedbackAnswer.objects.select_for_update()
            .filter(participant=participant, event=event, session=session)
            .first()
        )
        if answer is None:
            raise FeedbackRefused(
                _("You have already answered, anonymously: it cannot be changed.")
            )
    answer = answer or FeedbackAnswer(event=event, session=session)
    answer.rating = rating
    answer.comment = comment.strip()
    answer.language = language
    answer.participant = None if anonymous else participant
    answer.full_clean()
    answer.save()
    return answer


def _check_may_answer(*, participant: Participant, event: Event, session: Session | None) -> None:
    if not feedback_is_open(event):
        raise FeedbackRefused(_("Feedback for this event is closed."))
    if session is None:
        came = attended_event(participant=participant, event=event)
    else:
        viewer = viewer_for(participant.user)
        came = (
            attended_sessions(participant=participant, event=event, viewer=viewer)
            .filter(pk=session.pk)
            .exists()
        )
    if not came:
        raise FeedbackRefused(_("Only those who attended can give feedback."))


# --- The reminder, the evening of the last day ---------------------------------------------


def reminder_window(*, event: Event) -> tuple[datetime, datetime]:
    """From 18:00 event time on the last day until that night's midnight."""
    zone = event.zone
    return (
        datetime.combine(event.end_date, REMINDER_HOUR, tzinfo=zone),
        datetime.combine(event.end_date + timedelta(days=1), time(0, 0), tzinfo=zone),
    )


def events_due_for_reminder(*, now: datetime) -> list[Event]:
    dates = [(now + timedelta(days=offset)).date() for offset in (-1, 0, 1)]
    events = Event.objects.filter(end_date__in=dates)
    return [e for e in events if reminder_window(event=e)[0] <= now < reminder_window(event=e)[1]]


def queue_feedback_reminders() -> int:
    """Queue the feedback reminder for every person who came to an event whose last
    evening it is (periodic): once per person and event (the outbox key), in their
    language. Returns how many were queued."""
    queued = 0
    for event in events_due_for_reminder(now=clock.now()):
        emails = [_reminder(person, event) for person in _people_who_came(event)]
        queued += queue_prepared_emails(emails=emails)
    return queued


def _people_who_came(event: Event):
    approved = Registration.objects.approved_for(event).filter(participant_id=OuterRef("pk"))
    # One registration per person and event: the one that `approved` found.
    checked_in = CheckIn.objects.filter(
        registration__event=event, registration__participant_id=OuterRef("pk")
    )
    seated = SessionSignup.objects.confirmed().filter(
        participant_id=OuterRef("pk"), session__event=event, session__is_cancelled=False
    )
    return (
        Participant.objects.filter(Exists(approved))
        .filter(Q(Exists(checked_in)) | Q(Exists(seated)))
        .select_related("user")
        .order_by("pk")
    )


def _reminder(participant: Participant, event: Event) -> PreparedEmail:
    language = participant.preferred_language or settings.LANGUAGE_CODE
    subject, body_text, body_html = render_email(
        template=FEEDBACK_REMINDER,
        context={"participant": participant, "event": event, "site_url": settings.SITE_URL},
        language=language,
    )
    return PreparedEmail(
        recipient=participant.user.email,
        kind=FEEDBACK_REMINDER,
        object_key=f"event:{event.pk}",
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        user_id=participant.user_id,
    )
