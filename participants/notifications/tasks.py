"""Celery tasks: thin, each calls one service. Their names stay
"participants.tasks.<function>" (queued messages and the beat schedule use them).
"""

from celery import shared_task

from participants.notifications import services as notifications


@shared_task(
    name="participants.tasks.task_queue_daily_digests",
    acks_late=True,
    time_limit=300,
    soft_time_limit=280,
)
def task_queue_daily_digests() -> int:
    return notifications.queue_daily_digests()


@shared_task(
    name="participants.tasks.task_queue_session_reminders",
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
)
def task_queue_session_reminders() -> int:
    return notifications.queue_session_reminders()


@shared_task(
    name="participants.tasks.task_notify_schedule_changes",
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
)
def task_notify_schedule_changes() -> int:
    return notifications.notify_schedule_changes()


@shared_task(
    name="participants.tasks.task_notify_new_material",
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
)
def task_notify_new_material() -> int:
    return notifications.notify_new_material()
