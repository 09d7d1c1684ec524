"""Read queries about registrations: the waitlist rank, a person's registration, /me/."""

from participants.models import Participant, Registration, RegistrationType
from sanjose import clock


def waitlist_rank(registration: Registration) -> int | None:
    """1 for the first in line: the person's place among those still waiting for the type."""
    if registration.status != Registration.Status.WAITLISTED or registration.on_hold:
        return None
    return Registration.objects.filter(
        type_id=registration.type_id,
        status=Registration.Status.WAITLISTED,
        on_hold=False,
        waitlist_position__lte=registration.waitlist_position,
    ).count()


def registration_for(*, participant: Participant | None, event) -> Registration | None:
    """The participant's registration for `event` (any state), with its type and history."""
    if participant is None or event is None:
        return None
    return (
        Registration.objects.select_related("type", "event")
        .prefetch_related("changes")
        .filter(participant=participant, event=event)
        .first()
    )


def open_types_for(*, event) -> list[RegistrationType]:
    """The event's registration types open now (their window, if any), in their order."""
    if event is None:
        return []
    now = clock.now()
    types = RegistrationType.objects.filter(event=event).order_by("position", "pk")
    return [t for t in types if t.is_open_at(now)]
