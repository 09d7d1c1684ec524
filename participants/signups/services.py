"""Sign-ups for sessions with limited seats: sign up, cancel, move up the waiting list.

The same rule as registration: seats live in `Session.signup_count`, changed only here
and only with conditional UPDATEs (`signup_count < capacity`), backed by the table's
check constraint, so a rush of simultaneous sign-ups can never take more seats than the
session has. Waiting-list tickets come from the same row (`last_signup_waitlist_position`),
so positions are unique without a second lock. A confirmed sign-up puts the session in
the person's schedule, feed and reminders (see `selectors.schedule.schedule_sessions`).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from events.models import Session
from participants.models import Participant, SessionSignup
from sanjose import clock, counters
from sanjose.access import viewer_for
from sanjose.outbox.services import queue_email

Status = SessionSignup.Status
PROMOTED_EMAIL = "session_signup_promoted"


class SignupError(Exception):
    """A sign-up the rules refuse; the message is meant for the person who asked."""


def _take_seat(session_id: int) -> bool:
    """Take one seat if any is left; True when this call got it."""
    return counters.take_one(Session, session_id, count="signup_count")


def _release_seat(session_id: int) -> None:
    counters.give_back_one(Session, session_id, count="signup_count")


def _next_waitlist_position(session_id: int) -> int:
    return counters.next_ticket(Session, session_id, field="last_signup_waitlist_position")


def check_open(*, session: Session, participant: Participant) -> None:
    """Raise SignupError unless the session takes sign-ups now and the person may see it."""
    if not session.signup_required:
        raise SignupError(_("This session does not take sign-ups."))
    if session.is_cancelled:
        raise SignupError(_("This session is cancelled."))
    if session.ends_at <= clock.now():
        raise SignupError(_("This session is over."))
    visible = Session.objects.visible_to(viewer_for(participant.user)).filter(pk=session.pk)
    if not visible.exists():
        raise SignupError(_("This session is not open to you."))


@transaction.atomic
def sign_up(*, participant: Participant, session: Session) -> SessionSignup:
    """Sign the person up: a seat while seats last, else the next place on the session's
    waiting list. Writes the SessionSignup and moves the session's counters; sends
    nothing (the page says which it is). SignupError when the session does not take
    sign-ups now, the person may not see it, or they are already signed up."""
    check_open(session=session, participant=participant)
    if SessionSignup.objects.filter(participant=participant, session=session).exists():
        raise SignupError(_("You are already signed up for this session."))
    try:
        with transaction.atomic():
            if _take_seat(session.pk):
                status, position = Status.CONFIRMED, None
            else:
                status, position = Status.WAITLISTED, _next_waitlist_position(session.pk)
            return SessionSignup.objects.create(
                participant=participant, session=session, status=status, waitlist_position=position
            )
    except IntegrityError:
        # Two tabs at once: the unique constraint lets one through, the seat is given back.
        raise SignupError(_("You are already signed up for this session.")) from None


@transaction.atomic
def cancel_signup(*, signup: SessionSignup) -> list[SessionSignup]:
    """Withdraw a sign-up (the row goes). A freed seat goes to the first on the session's
    waiting list, who gets the "promoted" email. Returns who moved up."""
    locked = SessionSignup.objects.select_for_update().filter(pk=signup.pk).order_by().first()
    if locked is None:
        return []
    locked.delete()
    if locked.status != Status.CONFIRMED:
        return []
    _release_seat(locked.session_id)
    return fill_session_waitlist(session=Session.objects.get(pk=locked.session_id))


@transaction.atomic
def fill_session_waitlist(*, session: Session) -> list[SessionSignup]:
    """Move the first on the waiting list up while the session has seats (after a
    cancellation or a raised capacity); each gets the "promoted" email. Returns them."""
    promoted = []
    while True:
        candidate = (
            SessionSignup.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("participant__user", "session__event", "session__room")
            .filter(session_id=session.pk, status=Status.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if candidate is None or not _take_seat(session.pk):
            return promoted
        candidate.status, candidate.waitlist_position = Status.CONFIRMED, None
        candidate.save(update_fields=["status", "waitlist_position"])
        _queue_promoted_email(candidate)
        promoted.append(candidate)


def _queue_promoted_email(signup: SessionSignup) -> None:
    participant, session = signup.participant, signup.session
    queue_email(
        recipient=participant.user.email,
        user=participant.user,
        kind=PROMOTED_EMAIL,
        object_key=f"signup:{session.pk}:{participant.pk}",
        occasion=f"promoted:{signup.pk}",
        template=PROMOTED_EMAIL,
        language=participant.preferred_language,
        context={
            "participant": participant,
            "session": session,
            "event": session.event,
            "session_url": settings.SITE_URL + session.get_absolute_url(),
        },
    )
