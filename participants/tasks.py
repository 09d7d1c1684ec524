"""Periodic scans (Celery beat): thin, each calls one service."""

from celery import shared_task

from participants.services import feedback, jobs, notifications, retention


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def task_queue_daily_digests() -> int:
    return notifications.queue_daily_digests()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def task_queue_session_reminders() -> int:
    return notifications.queue_session_reminders()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def task_notify_schedule_changes() -> int:
    return notifications.notify_schedule_changes()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def task_notify_new_material() -> int:
    return notifications.notify_new_material()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def task_anonymise_past_events() -> dict:
    return retention.anonymise_due_events()


@shared_task(acks_late=True, time_limit=480, soft_time_limit=450)
def task_run_bulk_job(job_id: int) -> str | None:
    """One long staff job (an import, a working-group proposal or publication); a copy
    delivered twice finds it taken and stops."""
    return jobs.run_job(job_id=job_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def task_sweep_bulk_jobs() -> int:
    """Queue again the long jobs that lost their broker message or their worker."""
    return jobs.sweep_jobs()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def task_queue_feedback_reminders() -> int:
    return feedback.queue_feedback_reminders()
