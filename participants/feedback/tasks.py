"""Celery tasks: thin, each calls one service. Their names stay
"participants.tasks.<function>" (queued messages and the beat schedule use them).
"""

from celery import shared_task

from participants.feedback import services as feedback


@shared_task(
    name="participants.tasks.task_queue_feedback_reminders",
    acks_late=True,
    time_limit=300,
    soft_time_limit=280,
)
def task_queue_feedback_reminders() -> int:
    return feedback.queue_feedback_reminders()
