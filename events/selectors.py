"""Read queries for what is the same for everyone."""

from django.db.models import Prefetch

from .models import Event, EventDay


def current_event() -> Event | None:
    return (
        Event.objects.filter(is_current=True)
        .prefetch_related(Prefetch("days", queryset=EventDay.objects.order_by("date")))
        .first()
    )
