import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=4, acks_late=True)
def task_send_message(self, message_id: int) -> None:
    message = services.claim_message(message_id=message_id)
    if message is None:
        logger.info("outbox message %s already taken or final", message_id)
        return
    try:
        services.deliver_message(message=message)
    except Exception as error:
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
