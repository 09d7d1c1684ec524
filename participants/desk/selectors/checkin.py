"""Read queries of the check-in desk."""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from events.models import Event
from participants.models import CheckIn, Registration
from sanjose import clock

SEARCH_LIMIT = 20


def registrations_matching(text: str, *, event: Event | None) -> QuerySet[Registration]:
    """Registrations of `event` whose person matches `text` (name, email or organisation),
    with `checked_in_today_at` set when they were already checked in today (event time)."""
    if event is None:
        return Registration.objects.none()
    today = clock.now().astimezone(event.zone).date()
    checked_in = CheckIn.objects.filter(registration_id=OuterRef("pk"), day=today)
    return (
        Registration.objects.filter(event=event)
        .filter(
            Q(participant__badge_name__icontains=text)
            | Q(participant__user__email__icontains=text)
            | Q(participant__organisation__icontains=text)
        )
        .select_related("participant", "type")
        .annotate(checked_in_today_at=Subquery(checked_in.values("checked_in_at")[:1]))
        .order_by("participant__badge_name")[:SEARCH_LIMIT]
    )
