"""The one place time-dependent code asks for "now", so tests and rehearsals can move it."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
