"""The participant directory: listing oneself (consent) and withdrawing at once."""

from django.db import transaction

from participants.models import Participant
from sanjose import clock


@transaction.atomic
def set_directory_listing(
    *, participant: Participant, listed: bool, bio: str = "", contact: str = ""
) -> Participant:
    """List the person in the directory (recording when they consented) with an optional
    short bio and contact, or take them out: withdrawing clears the listing, the bio and
    the contact at once, so nothing of them shows to anyone from the next page on.
    Sends nothing."""
    if listed:
        participant.directory_listed_at = participant.directory_listed_at or clock.now()
        participant.directory_bio = bio.strip()
        participant.directory_contact = contact.strip()
    else:
        participant.directory_listed_at = None
        participant.directory_bio = ""
        participant.directory_contact = ""
    participant.save(
        update_fields=["directory_listed_at", "directory_bio", "directory_contact", "updated_at"]
    )
    return participant
