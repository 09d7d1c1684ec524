"""Queueing a Celery task after commit without letting a broker fault reach the user.

`transaction.on_commit` callbacks run after the data is safely written. If queueing
then raises (Redis away), the request would answer 500 although its change is saved,
and the user would try again. So every enqueue goes through `enqueue_after_commit`:
a broker error is logged (once per callback, without arguments that could hold personal
data) and swallowed. What the task was for must have its own way back: outbox rows
stay pending and the outbox sweep queues them once the broker is back.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What publishing raises when the broker is away: kombu wraps connection errors in its
# OperationalError; redis-py and the socket may surface their own.
BROKER_ERRORS = (KombuOperationalError, RedisError, ConnectionError, TimeoutError, OSError)


def enqueue(task, arguments: Iterable[tuple], *, what: str, options: dict | None = None) -> int:
    """`task.apply_async(args, **options)` for each tuple of `arguments`; stops at the first
    broker error (the broker is away for the others too) and logs it. Returns how many
    were queued."""
    queued = 0
    options = options or {}
    for args in arguments:
        if task.app.conf.task_always_eager:
            # No broker (the embedded default, unit tests): the task runs here and its own
            # errors are its own, not a broker fault.
            task.apply_async(args, **options)
            queued += 1
            continue
        try:
            task.apply_async(args, **options)
        except BROKER_ERRORS as error:
            logger.error(
                "broker unavailable (%s): %s not queued now; %s",
                type(error).__name__,
                task.name,
                what,
            )
            break
        queued += 1
    return queued


def enqueue_after_commit(
    task, arguments: Iterable[tuple], *, what: str, options: dict | None = None
) -> None:
    """Queue `task` for each tuple of `arguments` once the current transaction commits,
    never raising a broker error into the request (see the module docstring); `what`
    says in the log what happens to the work that was not queued; `options` go to
    `apply_async` (a priority)."""
    arguments = list(arguments)
    if arguments:
        transaction.on_commit(lambda: enqueue(task, arguments, what=what, options=options))
