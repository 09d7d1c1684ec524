"""The registration workflow: register, decide, cancel, and move people up the waitlist.

Capacity lives in `RegistrationType.approved_count`, changed only here and only with
conditional UPDATEs (`approved_count < capacity`), backed by the table's check
constraint: two simultaneous requests can never both take the last place, and no
count-then-insert race exists. Waitlist tickets come from the same row
(`last_waitlist_position`), so positions are unique without a second lock.

Every change of state writes a RegistrationChange (who, when, why) and queues the
participant's email through the outbox, in the same transaction.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Invitation, Participant, Registration, RegistrationType
from participants.registration.models import RegistrationChange
from participants.registration.selectors import waitlist_rank
from sanjose import clock, counters
from sanjose.outbox.services import queue_email

Status = Registration.Status

# The states each decision may start from; anything else is refused with a message.
ALLOWED_FROM = {
    Status.APPROVED: {Status.SUBMITTED, Status.WAITLISTED, Status.DECLINED},
    Status.WAITLISTED: {Status.SUBMITTED, Status.DECLINED},
    Status.DECLINED: {Status.SUBMITTED, Status.WAITLISTED, Status.APPROVED},
    Status.CANCELLED: {Status.SUBMITTED, Status.WAITLISTED, Status.APPROVED},
}
EMAIL_FOR_STATUS = {
    Status.SUBMITTED: "registration_received",
    Status.APPROVED: "registration_approved",
    Status.WAITLISTED: "registration_waitlisted",
    Status.DECLINED: "registration_declined",
    Status.CANCELLED: "registration_cancelled",
}
PROMOTED_EMAIL = "registration_promoted"


class RegistrationError(Exception):
    """A request the rules refuse; the message is meant for the person who asked."""


# --- Capacity and waitlist counters -------------------------------------------------------


def _take_place(registration_type_id: int) -> bool:
    """Take one approved place if any is left; True when this call got it."""
    return counters.take_one(RegistrationType, registration_type_id, count="approved_count")


def _release_place(registration_type_id: int) -> None:
    counters.give_back_one(RegistrationType, registration_type_id, count="approved_count")


def _next_waitlist_position(registration_type_id: int) -> int:
    return counters.next_ticket(
        RegistrationType, registration_type_id, field="last_waitlist_position"
    )


# --- State changes ----------------------------------------------------------------------


def _set_status(
    registration: Registration,
    *,
    to_status: str,
    by,
    reason: str = "",
    email_kind: str | None = None,
    is_new: bool = False,
    on_hold: bool = False,
    notify: bool = True,
) -> RegistrationChange:
    """Move `registration` to `to_status`, record the change and queue the email (none
    when `notify` is false).

    A waitlisted registration either waits for a place (a unique position) or is held by
    staff (`on_hold`, no position)."""
    now = clock.now()
    from_status = "" if is_new else registration.status
    registration.status = to_status
    registration.on_hold = on_hold and to_status == Status.WAITLISTED
    registration.waitlist_position = (
        _next_waitlist_position(registration.type_id)
        if to_status == Status.WAITLISTED and not registration.on_hold
        else None
    )
    if to_status in {Status.APPROVED, Status.WAITLISTED, Status.DECLINED} and by is not None:
        registration.decided_at = now
    registration.save()
    change = RegistrationChange.objects.create(
        registration=registration,
        from_status=from_status,
        to_status=to_status,
        changed_by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason,
        at=now,
    )
    kind = email_kind or EMAIL_FOR_STATUS.get(to_status)
    if kind and notify:
        _queue_status_email(registration, kind=kind, change=change)
    return change


def _queue_status_email(registration: Registration, *, kind: str, change) -> None:
    participant = registration.participant
    queue_email(
        recipient=participant.user.email,
        user=participant.user,
        kind=kind,
        object_key=f"registration:{registration.pk}",
        occasion=f"change:{change.pk}",
        template=kind,
        language=participant.preferred_language,
        context={
            "participant": participant,
            "registration": registration,
            "registration_type": registration.type,
            "event": registration.event,
            "waitlist_rank": waitlist_rank(registration),
            "me_url": settings.SITE_URL + reverse("participants:me"),
        },
    )


def _locked(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update()
        .select_related("participant__user", "type", "event")
        .get(pk=registration.pk)
    )


def may_become(registration: Registration | None, status: str) -> bool:
    """Whether the rules let this registration move to `status` now (views ask this
    before offering a change; the services refuse the others)."""
    return registration is not None and registration.status in ALLOWED_FROM[status]


def _check_allowed(registration: Registration, to_status: str) -> None:
    if not may_become(registration, to_status):
        raise RegistrationError(
            _("A registration that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": registration.get_status_display(),
                "target": Status(to_status).label,
            }
        )


# --- Registering -------------------------------------------------------------------------


@transaction.atomic
def register(
    *,
    participant: Participant,
    registration_type: RegistrationType,
    by,
    motivation: str = "",
    invitation: Invitation | None = None,
    notify: bool = True,
) -> Registration:
    """Register `participant` for the type's event.

    Public types and invitations approve at once while places last, then waitlist;
    other types are submitted for staff to decide. Writes the registration and its
    first RegistrationChange, moves the type's counters, queues the matching email
    (received, approved or waitlisted). A cancelled registration is reopened; any other
    existing one for the event is refused with RegistrationError. `notify=False` queues
    no email (the demo's invented people have no inbox).
    """
    now = clock.now()
    if invitation is None and not registration_type.is_open_at(now):
        raise RegistrationError(_("Registration for “%s” is not open.") % registration_type.name)
    existing = (
        Registration.objects.select_for_update()
        .select_related("participant__user", "type", "event")
        .filter(participant=participant, event_id=registration_type.event_id)
        .first()
    )
    reopenable = {Status.CANCELLED} | (
        {Status.SUBMITTED, Status.WAITLISTED} if invitation else set()
    )
    if existing is not None and existing.status not in reopenable:
        raise RegistrationError(_("You are already registered for this event."))
    try:
        with transaction.atomic():
            return _enter(
                existing
                or Registration(participant=participant, event_id=registration_type.event_id),
                registration_type=registration_type,
                by=by,
                motivation=motivation,
                invitation=invitation,
                notify=notify,
            )
    except IntegrityError:
        # Two tabs submitting at once: the unique constraint lets one through.
        raise RegistrationError(_("You are already registered for this event.")) from None


def _enter(
    registration: Registration,
    *,
    registration_type: RegistrationType,
    by,
    motivation: str,
    invitation: Invitation | None,
    notify: bool,
) -> Registration:
    if registration.pk and registration.status == Status.WAITLISTED:
        registration.waitlist_position = None
    registration.type = registration_type
    registration.motivation = motivation or registration.motivation
    registration.invitation = invitation or registration.invitation
    is_new = registration.pk is None
    if is_new:
        registration.save()  # the row first, so a duplicate fails before any counter moves
    if invitation is not None or registration_type.is_public:
        if _take_place(registration_type.pk):
            to_status = Status.APPROVED
            reason = _("Invitation accepted.") if invitation else _("Place available.")
        else:
            to_status = Status.WAITLISTED
            reason = _("No place left: added to the waiting list.")
    else:
        to_status, reason = Status.SUBMITTED, _("Registration received.")
    _set_status(
        registration, to_status=to_status, by=by, reason=reason, is_new=is_new, notify=notify
    )
    return registration


# --- Staff decisions ---------------------------------------------------------------------


@transaction.atomic
def approve_registration(
    *, registration: Registration, by, reason: str = "", notify: bool = True
) -> Registration:
    """Approve: takes one place of the type (RegistrationError when it is full), clears any
    waitlist position, records the change and queues the "approved" email (unless
    `notify` is false)."""
    registration = _locked(registration)
    _check_allowed(registration, Status.APPROVED)
    if not _take_place(registration.type_id):
        raise RegistrationError(
            _("“%s” is full: no place left to approve.") % registration.type.name
        )
    _set_status(registration, to_status=Status.APPROVED, by=by, reason=reason, notify=notify)
    return registration


@transaction.atomic
def waitlist_registration(
    *, registration: Registration, by, reason: str = "", hold: bool | None = None
) -> Registration:
    """Put on the waiting list; records the change and queues the "waitlisted" email.

    Two different states: while the type is full, the person waits for a place (the next
    unique position; a freed or added place moves them up). While places are free, staff
    putting someone on the list is a hold (`on_hold`, no position): only a staff decision
    approves them, and the email says the decision is pending, not that places are taken.
    `hold` forces one or the other; by default it follows whether the type is full.
    """
    registration = _locked(registration)
    _check_allowed(registration, Status.WAITLISTED)
    if hold is None:
        hold = not RegistrationType.objects.get(pk=registration.type_id).is_full
    _set_status(registration, to_status=Status.WAITLISTED, by=by, reason=reason, on_hold=hold)
    return registration


@transaction.atomic
def decline_registration(
    *, registration: Registration, by, reason: str = "", notify: bool = True
) -> Registration:
    """Decline; an approved place is freed and the first on the waitlist moves up.
    Records the change and queues the "declined" email (unless `notify` is false) and
    the "promoted" one."""
    return _leave(registration, to_status=Status.DECLINED, by=by, reason=reason, notify=notify)


@transaction.atomic
def cancel_registration(*, registration: Registration, by, reason: str = "") -> Registration:
    """The participant withdraws; an approved place is freed and the first on the waitlist
    moves up (and is told). Records the change and queues the "cancelled" email, which
    confirms it to the person (and warns them if someone else did it)."""
    return _leave(registration, to_status=Status.CANCELLED, by=by, reason=reason)


def _leave(
    registration: Registration, *, to_status: str, by, reason: str, notify: bool = True
) -> Registration:
    registration = _locked(registration)
    _check_allowed(registration, to_status)
    held_place = registration.is_approved
    _set_status(registration, to_status=to_status, by=by, reason=reason, notify=notify)
    if held_place:
        _release_place(registration.type_id)
        fill_from_waitlist(registration_type=registration.type)
    return registration


def event_is_over(event, *, at=None) -> bool:
    """Whether the event's last day is behind us, in the event's own time zone."""
    moment = at or clock.now()
    return moment.astimezone(event.zone).date() > event.end_date


@transaction.atomic
def withdraw_for_erasure(*, registration: Registration, by) -> Registration:
    """Before a person's data is erased, keep the counters true. For an event not yet
    over, the registration is cancelled as the person would cancel it (an approved place
    is freed and the waitlist moves up, those promoted are told); for a past event an
    approved place is given back without promoting anyone. Sends only "promoted" emails."""
    registration = _locked(registration)
    if not event_is_over(registration.event) and may_become(registration, Status.CANCELLED):
        return _leave(registration, to_status=Status.CANCELLED, by=by, reason="")
    if registration.is_approved:
        _release_place(registration.type_id)
    return registration


@transaction.atomic
def fill_from_waitlist(*, registration_type: RegistrationType) -> list[Registration]:
    """Move the first waitlisted people up while the type has places; each is approved,
    recorded (no staff user: the system did it) and gets the "promoted" email. People
    held by staff (`on_hold`) are not waiting for a place and never move up here."""
    promoted = []
    while True:
        candidate = (
            Registration.objects.select_for_update(skip_locked=True)
            .select_related("participant__user", "type", "event")
            .filter(type=registration_type, status=Status.WAITLISTED, on_hold=False)
            .order_by("waitlist_position")
            .first()
        )
        if candidate is None or not _take_place(registration_type.pk):
            return promoted
        _set_status(
            candidate,
            to_status=Status.APPROVED,
            by=None,
            reason=_("A place became free: moved up from the waiting list."),
            email_kind=PROMOTED_EMAIL,
        )
        promoted.append(candidate)


# --- Registration types --------------------------------------------------------------------


def check_type_capacity(*, registration_type: RegistrationType, capacity: int | None) -> None:
    """A capacity may not fall below the places already approved (ValidationError on
    "capacity"); empty means no limit."""
    approved = 0
    if registration_type.pk is not None:
        approved = (
            RegistrationType.objects.filter(pk=registration_type.pk)
            .values_list("approved_count", flat=True)
            .first()
            or 0
        )
    if capacity is not None and capacity < approved:
        raise ValidationError(
            {
                "capacity": _(
                    "%(approved)d registrations are already approved: the capacity cannot be lower."
                )
                % {"approved": approved}
            }
        )


@transaction.atomic
def save_registration_type(*, registration_type: RegistrationType) -> list[Registration]:
    """Save a new or changed registration type (admin and any other writer).

    Refuses a capacity below the places already approved; the counters are the
    services' own, never an editor's stale copy. More places (a higher capacity, or none)
    move the waiting list up: each promoted person is approved and emailed. Returns the
    promoted registrations."""
    stored = None
    if registration_type.pk is not None:
        stored = RegistrationType.objects.select_for_update().get(pk=registration_type.pk)
        registration_type.approved_count = stored.approved_count
        registration_type.last_waitlist_position = stored.last_waitlist_position
    check_type_capacity(registration_type=registration_type, capacity=registration_type.capacity)
    registration_type.save()
    if stored is None or not _more_places(stored.capacity, registration_type.capacity):
        return []
    return fill_from_waitlist(registration_type=registration_type)


def _more_places(before: int | None, after: int | None) -> bool:
    if before is None:
        return False
    return after is None or after > before


# --- Invitations -------------------------------------------------------------------------

NOT_YOUR_INVITATION = gettext_lazy(
    "This invitation was sent to another email address. Sign in with the address it was "
    "sent to (or add and confirm that address in your account), or ask ECPAT staff."
)


def is_invitee(*, invitation: Invitation, user) -> bool:
    """Whether `user` holds the invitation's address: as their account email or as a
    verified address of theirs (compared without case)."""
    email = invitation.email.strip().lower()
    if user.email and user.email.strip().lower() == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def invitation_problem(invitation: Invitation, *, at=None) -> str:
    """Why this invitation cannot be used at `at` (now by default): already used, or
    expired; "" when it can. The page and `accept_invitation` both ask this."""
    if invitation.used_at is not None:
        return str(_("This invitation has already been used."))
    if invitation.is_expired_at(at or clock.now()):
        return str(_("This invitation has expired. Please contact ECPAT staff."))
    return ""


@transaction.atomic
def accept_invitation(*, invitation: Invitation, participant: Participant, by) -> Registration:
    """Use a one-time invitation: marks it used (a conditional UPDATE, so a second use
    fails) and registers the participant pre-approved for the invited type (waitlisted
    if it is full). RegistrationError when used, expired, already registered, or when the
    account's verified email is not the one the invitation was sent to (a forwarded link
    must not hand someone else a pre-approved place)."""
    now = clock.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        invitation.refresh_from_db(fields=["used_at", "expires_at"])
        # The claim failed, so one of the two holds (a claim made by someone else since).
        raise RegistrationError(
            invitation_problem(invitation, at=now) or _("This invitation has already been used.")
        )
    if not is_invitee(invitation=invitation, user=participant.user):
        raise RegistrationError(NOT_YOUR_INVITATION)  # the claim above is rolled back
    return register(
        participant=participant,
        registration_type=invitation.type,
        by=by,
        invitation=invitation,
    )
