"""Celery tasks: thin, each calls one service. Their names stay
"participants.tasks.<function>" (queued messages and the beat schedule use them).
"""

from celery import shared_task

from participants.privacy import services as retention


@shared_task(
    name="participants.tasks.task_anonymise_past_events",
    acks_late=True,
    time_limit=300,
    soft_time_limit=280,
)
def task_anonymise_past_events() -> dict:
    return retention.anonymise_due_events()
