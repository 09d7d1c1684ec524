"""Which sessions belong in a person's schedule (used by /me/schedule/, feeds, digests)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from events.models import Session
from participants.models import Membership, Participant, SessionSignup
from sanjose.access import Viewer


def schedule_sessions(
    *, participant: Participant, viewer: Viewer, event_id: int
) -> QuerySet[Session]:
    """The event's sessions that apply to this person, cancelled ones included (so the
    schedule can show them struck through).

    A session applies when it needs a sign-up and the person signed up; when it is for
    named groups and the person is in one of them; otherwise when the person may see it
    (public, or for participants once approved).
    """
    signed_up = SessionSignup.objects.filter(session_id=OuterRef("pk"), participant=participant)
    my_groups = Membership.objects.counting().filter(participant=participant).values("group_id")
    in_my_group = Session.groups.through.objects.filter(
        session_id=OuterRef("pk"), group_id__in=my_groups
    )
    visible = Session.objects.visible_to(viewer).filter(event_id=event_id).values("pk")
    applies = (
        Q(signup_required=True, pk__in=Session.objects.filter(Exists(signed_up)).values("pk"))
        | Q(signup_required=False, audience=Session.Audience.GROUPS) & Q(Exists(in_my_group))
        | Q(signup_required=False) & ~Q(audience=Session.Audience.GROUPS) & Q(pk__in=visible)
    )
    return (
        Session.objects.filter(event_id=event_id)
        .filter(applies)
        .select_related("room", "day")
        .order_by("starts_at", "room__position")
    )
