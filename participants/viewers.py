"""Who is looking, read from participants' rows: a user's `Viewer` (sanjose/access.py),
and many people's at once for emails about one event.

What an approved registration admits depends on its type: participant access (the full
Dialogue) or guest access to the days it names (the open day; a guest type naming no
day admits the event's public days). Groups count through `Membership.objects.counting`.
Registered with sanjose.access at start-up (participants/apps.py): the project package
knows no app.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from events.models import EventDay
from participants.groups.models import Membership
from participants.registration.models import Participant, Registration
from sanjose.access import Viewer


def build_viewer(user) -> Viewer:
    """The signed-in user's Viewer (sanjose.access.viewer_for caches it): three queries at
    most, four for a guest whose type names no days."""
    participant_id = (
        Participant.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    )
    if participant_id is None:
        viewer = Viewer(is_authenticated=True, is_staff=bool(user.is_staff), user_id=user.pk)
    else:
        people = [(participant_id, user.pk, bool(user.is_staff))]
        viewer = _viewers(people, event_id=None)[participant_id]
    if user.is_staff and user.has_perm("documents.view_staff_documents"):
        viewer = replace(viewer, can_see_staff_documents=True)
    return viewer


def viewers_at_event(*, event_id: int, participant_ids: Iterable[int]) -> dict[int, Viewer]:
    """The viewers of many participants at once, as far as one event is concerned (its
    registrations and groups only): for emails about that event's sessions and documents,
    in four queries at most whatever the number of people."""
    people = list(
        Participant.objects.filter(pk__in=list(participant_ids)).values_list(
            "pk", "user_id", "user__is_staff"
        )
    )
    return _viewers(people, event_id=event_id)


def _viewers(people: list[tuple[int, int, bool]], *, event_id: int | None) -> dict[int, Viewer]:
    """Viewers of (participant id, user id, is staff), from their approved registrations
    (one row per admitted day) and their groups that count; limited to one event if given."""
    ids = [participant_id for participant_id, _user, _staff in people]
    registrations = Registration.objects.approved().filter(participant_id__in=ids)
    memberships = Membership.objects.counting()
    if event_id is not None:
        registrations = registrations.filter(event_id=event_id)
        memberships = memberships.filter(group__event_id=event_id)
    participant_of, guest_of, guest_days = defaultdict(set), defaultdict(set), defaultdict(set)
    days_unnamed: dict[int, set[int]] = defaultdict(set)  # guest types that name no day
    for participant_id, event, grants, day in registrations.values_list(
        "participant_id", "event_id", "type__grants_participant_access", "type__days"
    ):
        if grants:
            participant_of[participant_id].add(event)
            continue
        guest_of[participant_id].add(event)
        if day is None:
            days_unnamed[participant_id].add(event)
        else:
            guest_days[participant_id].add(day)
    _add_public_days(guest_days, days_unnamed)
    groups = defaultdict(set)
    if participant_of:
        for participant_id, group_id in memberships.filter(
            participant_id__in=list(participant_of)
        ).values_list("participant_id", "group_id"):
            groups[participant_id].add(group_id)
    return {
        participant_id: Viewer(
            is_authenticated=True,
            is_staff=bool(is_staff),
            user_id=user_id,
            participant_id=participant_id,
            approved_event_ids=frozenset(participant_of[participant_id]),
            guest_event_ids=frozenset(guest_of[participant_id]),
            guest_day_ids=frozenset(guest_days[participant_id]),
            group_ids=frozenset(groups[participant_id]),
        )
        for participant_id, user_id, is_staff in people
    }


def _add_public_days(guest_days: dict, days_unnamed: dict) -> None:
    """A guest type that names no day admits the event's days open to the public."""
    events = set().union(*days_unnamed.values()) if days_unnamed else set()
    if not events:
        return
    public_days = defaultdict(set)
    for day_id, event in EventDay.objects.filter(event_id__in=events, is_public=True).values_list(
        "pk", "event_id"
    ):
        public_days[event].add(day_id)
    for participant_id, unnamed in days_unnamed.items():
        for event in unnamed:
            guest_days[participant_id] |= public_days[event]
