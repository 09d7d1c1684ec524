"""The sign-up box of a session page (events' template loads it, so that events need
not import participants)."""

from django import template

from participants.models import Participant
from participants.signups.selectors import clashes_for, signup_of, waitlist_rank
from sanjose import clock
from sanjose.access import viewer_for

register = template.Library()


@register.inclusion_tag("participants/signups/_box.html", takes_context=True)
def signup_box(context, session):
    """Seats left, my sign-up (or my place on the waiting list), a clash warning, and the
    button; nothing for sessions without sign-up."""
    if not session.signup_required:
        return {"show": False}
    request = context["request"]
    user = request.user
    participant = Participant.objects.filter(user=user).first() if user.is_authenticated else None
    signup = signup_of(participant=participant, session=session)
    clashes = []
    if participant is not None and signup is None:
        clashes = clashes_for(participant=participant, viewer=viewer_for(user), session=session)
    return {
        "show": True,
        "request": request,
        "session": session,
        "participant": participant,
        "signup": signup,
        "rank": waitlist_rank(signup) if signup else None,
        "clashes": clashes,
        "is_open": not session.is_cancelled and session.ends_at > clock.now(),
        "next": context.get("signup_next") or request.get_full_path(),
    }
