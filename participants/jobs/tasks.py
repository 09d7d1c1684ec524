"""Celery tasks: thin, each calls one service. Their names stay
"participants.tasks.<function>" (queued messages and the beat schedule use them).
"""

from celery import shared_task

from participants.jobs import services as jobs


@shared_task(
    name="participants.tasks.task_run_bulk_job", acks_late=True, time_limit=480, soft_time_limit=450
)
def task_run_bulk_job(job_id: int) -> str | None:
    """One long staff job (an import, a working-group proposal or publication); a copy
    delivered twice finds it taken and stops."""
    return jobs.run_job(job_id=job_id)


@shared_task(
    name="participants.tasks.task_sweep_bulk_jobs",
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
)
def task_sweep_bulk_jobs() -> int:
    """Queue again the long jobs that lost their broker message or their worker."""
    return jobs.sweep_jobs()
