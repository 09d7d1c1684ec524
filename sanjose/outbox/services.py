"""The one way any app sends email: `queue_email` writes an outbox row; a task sends it."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from sanjose import clock

from .models import OutboxMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def queue_email(
    *,
    recipient: str,
    kind: str,
    object_key: str,
    template: str,
    context: dict,
    language: str = "en",
    occasion: str = "",
    user=None,
) -> OutboxMessage | None:
    """Write one outbox row (rendered now, in `language`) and send it after commit.

    `template` names `emails/<template>_subject.txt`, `_body.txt` and `_body.html`.
    Returns None when the same (recipient, kind, object, occasion) is already queued,
    so a repeated call never doubles an email. Call it inside the transaction of the
    change that causes the email.
    """
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body_text = render_to_string(f"emails/{template}_body.txt", context)
        body_html = render_to_string(f"emails/{template}_body.html", context)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                recipient=recipient,
                user=user,
                kind=kind,
                object_key=object_key,
                occasion=occasion,
                language=language,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
            )
    except IntegrityError:
        return None
    from .tasks import task_send_message

    transaction.on_commit(lambda: task_send_message.delay(message.pk))
    return message


def claim_message(*, message_id: int) -> OutboxMessage | None:
    """Take a pending message for sending; None if another worker has it or it is final."""
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.PENDING
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=clock.now())
    if claimed != 1:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def deliver_message(*, message: OutboxMessage) -> None:
    """Send a claimed message over the configured backend and record the outcome."""
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body_text, to=[message.recipient]
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    message.attempts += 1
    try:
        email.send()
    except Exception as error:
        message.status = (
            OutboxMessage.Status.FAILED
            if message.attempts >= MAX_ATTEMPTS
            else OutboxMessage.Status.PENDING
        )
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["status", "attempts", "last_error"])
        logger.warning("outbox message %s not sent (attempt %s)", message.pk, message.attempts)
        raise
    message.status = OutboxMessage.Status.SENT
    message.sent_at = clock.now()
    message.save(update_fields=["status", "attempts", "sent_at"])
