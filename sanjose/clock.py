"""The one place time-dependent code asks for "now", so tests and rehearsals can move it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_set_to: ContextVar[datetime | None] = ContextVar("clock_set_to", default=None)


def now() -> datetime:
    return _set_to.get() or timezone.now()


@contextmanager
def set_to(moment: datetime) -> Iterator[None]:
    """Inside the block `now()` answers `moment` (for this thread or task only): `load_demo`
    takes the demo's sign-ups as they were taken, before the sessions, through the sign-up
    service, even when the demo's dates are past."""
    token = _set_to.set(moment)
    try:
        yield
    finally:
        _set_to.reset(token)
