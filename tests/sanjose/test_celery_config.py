"""Celery is configured so a lost worker loses nothing and a task runs once per claim."""

import pytest
from django.conf import settings

from participants import tasks as notification_tasks
from sanjose.celery import app as celery_app
from sanjose.outbox.tasks import task_send_message


def test_tasks_are_acknowledged_late_and_returned_when_the_worker_dies():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert task_send_message.acks_late is True
    assert task_send_message.reject_on_worker_lost is True


def test_the_visibility_timeout_outlasts_every_task_and_retry_countdown():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limits = [
        task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for name, task in celery_app.tasks.items()
        if name.startswith(("sanjose.", "participants.", "events.", "documents."))
    ]
    assert max(limits) < visibility
    assert task_send_message.retry_backoff_max + max(limits) < visibility


def test_sending_retries_smtp_errors_with_backoff_and_jitter():
    assert task_send_message.retry_backoff and task_send_message.retry_jitter
    assert task_send_message.max_retries == 4
    assert task_send_message.soft_time_limit < task_send_message.time_limit


def test_every_periodic_job_names_a_registered_task():
    scheduled = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled >= {
        "sanjose.outbox.tasks.task_sweep_outbox",
        "participants.tasks.task_queue_daily_digests",
        "participants.tasks.task_queue_session_reminders",
        "participants.tasks.task_notify_schedule_changes",
        "participants.tasks.task_notify_new_material",
        "participants.tasks.task_sweep_bulk_jobs",
    }
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert scheduled <= set(celery_app.tasks)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "task",
    [
        notification_tasks.task_queue_daily_digests,
        notification_tasks.task_queue_session_reminders,
        notification_tasks.task_notify_schedule_changes,
        notification_tasks.task_notify_new_material,
    ],
)
def test_the_periodic_scans_run_and_find_nothing_due_on_an_empty_database(task):
    assert task.delay().get() == 0


def test_email_and_long_jobs_run_on_separate_queues():
    from documents.tasks import task_make_preview
    from sanjose.outbox.tasks import task_sweep_outbox

    router = celery_app.amqp.router

    def queue_of(task) -> str:
        return router.route({}, task.name)["queue"].name

    assert queue_of(task_send_message) == "default"
    assert queue_of(task_sweep_outbox) == "default"
    assert queue_of(task_make_preview) == "bulk"
    for task in (notification_tasks.task_queue_daily_digests,
                 notification_tasks.task_queue_session_reminders,
                 notification_tasks.task_run_bulk_job):  # fmt: skip
        assert queue_of(task) == "bulk"


def test_beat_takes_the_lease_scheduler_when_redis_is_configured():
    assert settings.CELERY_BEAT_SCHEDULER == "sanjose.beat:SingleBeatScheduler"
    assert settings.BEAT_LEASE_SECONDS > 0
