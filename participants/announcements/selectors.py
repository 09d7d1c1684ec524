"""Which announcements a viewer sees, and who an announcement is for."""

from django.db.models import Q, QuerySet

from participants.models import Announcement, Membership, Participant, Registration
from sanjose.access import Viewer

Audience = Announcement.Audience


def announcements_for(*, viewer: Viewer, event_id: int, limit: int = 5) -> list[Announcement]:
    """The newest published announcements of the event for this viewer: those to
    everyone; to a registration type they hold an approved registration of; to a group
    they count as a member of. Staff see them all. One query."""
    announcements = Announcement.objects.published().filter(event_id=event_id)
    if not viewer.is_staff:
        rule = Q(audience=Audience.EVERYONE)
        if viewer.participant_id is not None:
            my_types = (
                Registration.objects.approved_for(event_id)
                .filter(participant_id=viewer.participant_id)
                .values("type_id")
            )
            rule |= Q(audience=Audience.TYPE, registration_type_id__in=my_types)
        if viewer.group_ids:
            rule |= Q(audience=Audience.GROUP, group_id__in=viewer.group_ids)
        announcements = announcements.filter(rule)
    return list(announcements.order_by("-published_at", "-pk")[:limit])


def announcement_audience(*, announcement: Announcement) -> QuerySet[Participant]:
    """The people an announcement is for (its email goes to them): the event's approved
    participants, those of one registration type, or the members of one group."""
    if announcement.audience == Audience.GROUP:
        members = Membership.objects.counting().filter(group_id=announcement.group_id)
        people = Participant.objects.filter(pk__in=members.values("participant_id"))
    else:
        approved = Registration.objects.approved_for(announcement.event_id)
        if announcement.audience == Audience.TYPE:
            approved = approved.filter(type_id=announcement.registration_type_id)
        people = Participant.objects.filter(pk__in=approved.values("participant_id"))
    return people.select_related("user").order_by("pk")
