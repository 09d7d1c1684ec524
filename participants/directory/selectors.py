"""Who the participant directory shows, to whom."""

from django.db.models import Q, QuerySet

from participants.models import Participant, Registration
from sanjose.access import Viewer


def may_see_directory(*, viewer: Viewer, event_id: int) -> bool:
    """Approved participants of the event (and staff) see its directory; nobody else."""
    return viewer.is_approved_for(event_id)


def directory_entries(
    *, viewer: Viewer, event_id: int, query: str = "", sector: str = "", subregion: str = ""
) -> QuerySet[Participant]:
    """The event's approved participants who opted in, for a viewer who may see the
    directory (none otherwise), searched by name or organisation, filtered by sector and
    sub-region, by name. Nothing of anyone who did not opt in (or withdrew)."""
    if not may_see_directory(viewer=viewer, event_id=event_id):
        return Participant.objects.none()
    admitted = Registration.objects.admitting_participants().filter(event_id=event_id)
    entries = Participant.objects.filter(
        pk__in=admitted.values("participant_id"), directory_listed_at__isnull=False
    )
    for word in query.split():
        entries = entries.filter(Q(badge_name__icontains=word) | Q(organisation__icontains=word))
    if sector:
        entries = entries.filter(sector=sector)
    if subregion:
        entries = entries.filter(subregion=subregion)
    return entries.only(
        "pk",
        "badge_name",
        "organisation",
        "sector",
        "country",
        "subregion",
        "languages_spoken",
        "directory_bio",
        "directory_contact",
    ).order_by("badge_name", "pk")
