"""Thin tasks: primary keys in, claim, call the service. Queued on commit by the services."""

import logging
import smtplib

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)

# Worth another try later: the mail server or the network, not the message.
TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=services.MAX_ATTEMPTS - 1,
    retry_backoff=30,
    retry_backoff_max=300,
    retry_jitter=True,
    soft_time_limit=50,
    time_limit=60,
)
def task_send_message(self, message_id: int) -> None:
    """Send one outbox row; a duplicate or re-delivered task finds it taken and stops."""
    message = services.claim_message(message_id=message_id)
    if message is None:
        logger.info("outbox message %s already taken, final or out of attempts", message_id)
        return
    services.deliver_message(message=message)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def task_sweep_outbox() -> dict[str, int]:
    """Re-queue what no task took and settle rows whose worker died (every minute)."""
    return services.sweep_outbox()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def task_purge_outbox_bodies() -> int:
    """Drop the bodies of messages past the retention period (hourly)."""
    return services.purge_message_bodies()
