"""Writes about a person's schedule: the secret of the personal calendar feed."""

from django.db import transaction

from participants.models import Participant
from participants.registration.models import new_calendar_token


@transaction.atomic
def reset_calendar_token(*, participant: Participant) -> str:
    """Give the participant a new calendar-feed token; the old feed URL stops working
    at once (it answers 404). Sends nothing. Returns the new token."""
    participant.calendar_token = new_calendar_token()
    participant.save(update_fields=["calendar_token", "updated_at"])
    return participant.calendar_token
