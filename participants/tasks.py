"""Celery's autodiscovery imports `participants.tasks`: each feature's tasks, imported
here so that workers register them. Their names stay `participants.tasks.<function>`
(`name=` on each task), which queued messages and the beat schedule refer to.
"""

from participants.feedback.tasks import task_queue_feedback_reminders
from participants.jobs.tasks import task_run_bulk_job, task_sweep_bulk_jobs
from participants.notifications.tasks import (
    task_notify_new_material,
    task_notify_schedule_changes,
    task_queue_daily_digests,
    task_queue_session_reminders,
)
from participants.privacy.tasks import task_anonymise_past_events

__all__ = [
    "task_anonymise_past_events",
    "task_notify_new_material",
    "task_notify_schedule_changes",
    "task_queue_daily_digests",
    "task_queue_feedback_reminders",
    "task_queue_session_reminders",
    "task_run_bulk_job",
    "task_sweep_bulk_jobs",
]
