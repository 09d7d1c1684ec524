from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from participants.models import Invitation, Registration, RegistrationChange, RegistrationType
from participants.registration.services import invitations as invitation_services
from participants.registration.services import registration as services
from participants.registration.services.registration import RegistrationError
from sanjose import clock
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    InvitationFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def event():
    return EventFactory(name="San José Dialogue", is_current=True)


@pytest.fixture
def staff():
    return UserFactory(username="staff", is_staff=True)


def public_type(event, capacity):
    return RegistrationTypeFactory(event=event, is_public=True, capacity=capacity, slug="open-day")


def invited_type(event, capacity=None):
    return RegistrationTypeFactory(event=event, is_public=False, capacity=capacity, slug="full")


def register(participant, registration_type, **kwargs):
    return services.register(
        participant=participant, registration_type=registration_type, by=participant.user, **kwargs
    )


def test_register_public_type_approves_while_places_last_then_waitlists(event):
    open_day = public_type(event, capacity=2)
    people = ParticipantFactory.create_batch(4)

    results = [register(p, open_day) for p in people]

    assert [r.status for r in results] == [S.APPROVED, S.APPROVED, S.WAITLISTED, S.WAITLISTED]
    assert [services.waitlist_rank(r) for r in results[2:]] == [1, 2]
    open_day.refresh_from_db()
    assert open_day.approved_count == 2
    assert open_day.last_waitlist_position == 2


def test_register_by_invitation_type_is_submitted_for_staff(event):
    full = invited_type(event)
    participant = ParticipantFactory()

    registration = register(participant, full, motivation="I lead a network.")

    assert registration.status == S.SUBMITTED
    assert registration.motivation == "I lead a network."
    change = registration.changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "",
        S.SUBMITTED,
        participant.user,
    )


def test_register_twice_for_the_same_event_is_refused_without_a_second_row(event):
    participant = ParticipantFactory()
    register(participant, invited_type(event))

    with pytest.raises(RegistrationError, match="already registered"):
        register(participant, public_type(event, capacity=5))

    assert Registration.objects.filter(participant=participant).count() == 1
    assert RegistrationType.objects.get(slug="open-day").approved_count == 0


def test_register_outside_the_window_is_refused(event):
    closed = RegistrationTypeFactory(event=event, closes_at=clock.now() - timedelta(hours=1))

    with pytest.raises(RegistrationError, match="not open"):
        register(ParticipantFactory(), closed)

    assert not Registration.objects.exists()


def test_register_queues_the_email_in_the_participants_language(
    event, django_capture_on_commit_callbacks
):
    participant = ParticipantFactory(preferred_language="es")
    open_day = public_type(event, capacity=1)
    open_day.name_es = "Día abierto"
    open_day.save()

    with django_capture_on_commit_callbacks(execute=True):
        registration = register(participant, open_day)

    message = OutboxMessage.objects.get()
    assert message.kind == "registration_approved"
    assert message.language == "es"
    assert message.object_key == f"registration:{registration.pk}"
    assert "Día abierto" in message.body_text
    assert message.status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [[participant.user.email]]


def test_staff_decisions_record_who_when_why_and_email(
    event, staff, django_capture_on_commit_callbacks
):
    full = invited_type(event, capacity=5)
    first, second = ParticipantFactory.create_batch(2)
    r1, r2 = register(first, full), register(second, full)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_registration(registration=r1, by=staff, reason="Invited speaker")
        services.waitlist_registration(registration=r2, by=staff, reason="Second delegate")

    r1.refresh_from_db()
    r2.refresh_from_db()
    assert (r1.status, r2.status) == (S.APPROVED, S.WAITLISTED)
    assert r1.decided_at is not None
    last = r1.changes.last()
    assert (last.from_status, last.to_status, last.changed_by, last.reason) == (
        S.SUBMITTED,
        S.APPROVED,
        staff,
        "Invited speaker",
    )
    kinds = sorted(OutboxMessage.objects.values_list("kind", flat=True))
    assert kinds == [
        "registration_approved",
        "registration_received",
        "registration_received",
        "registration_waitlisted",
    ]
    assert RegistrationType.objects.get(pk=full.pk).approved_count == 1


def test_approve_refuses_when_the_type_is_full(event, staff):
    full = invited_type(event, capacity=1)
    r1, r2 = (register(p, full) for p in ParticipantFactory.create_batch(2))
    services.approve_registration(registration=r1, by=staff)

    with pytest.raises(RegistrationError, match="is full"):
        services.approve_registration(registration=r2, by=staff)

    r2.refresh_from_db()
    assert r2.status == S.SUBMITTED
    assert r2.changes.count() == 1


def test_a_transition_not_allowed_is_refused(event, staff):
    registration = register(ParticipantFactory(), invited_type(event))
    services.cancel_registration(registration=registration, by=registration.participant.user)

    with pytest.raises(RegistrationError, match="cannot become"):
        services.approve_registration(registration=registration, by=staff)


def test_cancelling_an_approved_place_promotes_the_first_waitlisted(
    event, django_capture_on_commit_callbacks
):
    open_day = public_type(event, capacity=1)
    holder, first, second = ParticipantFactory.create_batch(3)
    approved = register(holder, open_day)
    waiting_1, waiting_2 = register(first, open_day), register(second, open_day)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=approved, by=holder.user, reason="Flight")

    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {
        approved.pk: S.CANCELLED,
        waiting_1.pk: S.APPROVED,
        waiting_2.pk: S.WAITLISTED,
    }
    waiting_1.refresh_from_db()
    assert waiting_1.waitlist_position is None
    promotion = waiting_1.changes.last()
    assert (promotion.from_status, promotion.to_status, promotion.changed_by) == (
        S.WAITLISTED,
        S.APPROVED,
        None,
    )
    waiting_2.refresh_from_db()
    assert services.waitlist_rank(waiting_2) == 1
    assert RegistrationType.objects.get(pk=open_day.pk).approved_count == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, holder.user.email])
    assert OutboxMessage.objects.filter(kind="registration_promoted").count() == 1


def test_declining_an_approved_registration_frees_its_place(event, staff):
    open_day = public_type(event, capacity=1)
    holder, waiting = ParticipantFactory.create_batch(2)
    approved = register(holder, open_day)
    waitlisted = register(waiting, open_day)

    services.decline_registration(registration=approved, by=staff, reason="Duplicate person")

    waitlisted.refresh_from_db()
    assert waitlisted.status == S.APPROVED


def test_cancelled_registration_can_register_again(event):
    participant = ParticipantFactory()
    open_day = public_type(event, capacity=3)
    registration = register(participant, open_day)
    services.cancel_registration(registration=registration, by=participant.user)

    again = register(participant, open_day)

    assert again.pk == registration.pk
    assert again.status == S.APPROVED
    assert [c.to_status for c in again.changes.all()] == [S.APPROVED, S.CANCELLED, S.APPROVED]
    assert RegistrationType.objects.get(pk=open_day.pk).approved_count == 1


def test_accept_invitation_pre_approves_once(event):
    participant = ParticipantFactory()
    invitation = InvitationFactory(
        event=event, type=invited_type(event, capacity=10), email=participant.user.email
    )

    registration = services.accept_invitation(
        invitation=invitation, participant=participant, by=participant.user
    )

    assert registration.status == S.APPROVED
    assert registration.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    with pytest.raises(RegistrationError, match="already been used"):
        services.accept_invitation(invitation=invitation, participant=ParticipantFactory(), by=None)
    assert Registration.objects.count() == 1


def test_accept_invitation_upgrades_a_submitted_registration(event):
    full = invited_type(event, capacity=10)
    participant = ParticipantFactory()
    submitted = register(participant, full)
    invitation = InvitationFactory(event=event, type=full, email=participant.user.email)

    registration = services.accept_invitation(
        invitation=invitation, participant=participant, by=participant.user
    )

    assert registration.pk == submitted.pk
    assert registration.status == S.APPROVED


def test_accept_expired_invitation_is_refused_and_stays_unused(event):
    participant = ParticipantFactory()
    invitation = InvitationFactory(
        event=event, expires_at=clock.now() - timedelta(minutes=1), email=participant.user.email
    )

    with pytest.raises(RegistrationError, match="expired"):
        services.accept_invitation(invitation=invitation, participant=participant, by=None)

    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert not Registration.objects.exists()


def test_raising_capacity_then_filling_from_waitlist_promotes_in_order(event):
    open_day = public_type(event, capacity=1)
    people = ParticipantFactory.create_batch(4)
    registrations = [register(p, open_day) for p in people]
    RegistrationType.objects.filter(pk=open_day.pk).update(capacity=3)

    promoted = services.fill_from_waitlist(registration_type=open_day)

    assert [r.pk for r in promoted] == [registrations[1].pk, registrations[2].pk]
    assert RegistrationChange.objects.filter(to_status=S.APPROVED).count() == 3


def test_accept_invitation_when_already_approved_leaves_it_unused(event):
    open_day = public_type(event, capacity=5)
    participant = ParticipantFactory()
    register(participant, open_day)
    invitation = InvitationFactory(
        event=event, type=invited_type(event), email=participant.user.email
    )

    with pytest.raises(RegistrationError, match="already registered"):
        services.accept_invitation(
            invitation=invitation, participant=participant, by=participant.user
        )

    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert Registration.objects.get().type == open_day


def test_an_invitation_is_refused_to_an_account_with_another_email(event):
    invitation = InvitationFactory(event=event, email="Invitee@Example.org")
    stranger = ParticipantFactory()

    with pytest.raises(RegistrationError, match="sent to another email address"):
        services.accept_invitation(invitation=invitation, participant=stranger, by=None)

    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert not Registration.objects.exists()


def test_an_invitation_is_accepted_by_a_verified_address_of_the_account(event):
    from allauth.account.models import EmailAddress

    participant = ParticipantFactory()
    invitation = InvitationFactory(event=event, email="Work.Address@example.org")
    EmailAddress.objects.create(
        user=participant.user, email="work.address@example.org", verified=False
    )
    with pytest.raises(RegistrationError, match="sent to another email address"):
        services.accept_invitation(invitation=invitation, participant=participant, by=None)

    EmailAddress.objects.filter(user=participant.user).update(verified=True)
    registration = services.accept_invitation(
        invitation=invitation, participant=participant, by=participant.user
    )
    assert registration.status == S.APPROVED


def test_a_cancellation_is_confirmed_by_email_in_the_persons_language(
    event, django_capture_on_commit_callbacks
):
    participant = ParticipantFactory(preferred_language="es")
    registration = register(participant, public_type(event, capacity=5))

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=registration, by=participant.user)

    message = OutboxMessage.objects.get(kind="registration_cancelled")
    assert message.recipient == participant.user.email
    assert message.language == "es"
    assert "cancelada" in message.subject
    assert "está cancelada" in message.body_text
    assert message.status == OutboxMessage.Status.SENT


# --- Registration types: the capacity rules, whoever saves the type ------------------------


def test_saving_a_type_refuses_a_capacity_below_the_approved_places(event):
    open_day = public_type(event, capacity=3)
    for person in ParticipantFactory.create_batch(2):
        register(person, open_day)
    open_day.capacity = 1

    with pytest.raises(ValidationError) as refused:
        services.save_registration_type(registration_type=open_day)

    assert refused.value.message_dict == {
        "capacity": ["2 registrations are already approved: the capacity cannot be lower."]
    }
    assert RegistrationType.objects.get(pk=open_day.pk).capacity == 3


def test_saving_a_type_with_more_places_moves_the_waitlist_up_in_order(event):
    open_day = public_type(event, capacity=1)
    registrations = [register(p, open_day) for p in ParticipantFactory.create_batch(4)]
    stale = RegistrationType.objects.get(pk=open_day.pk)  # an editor's copy, counters at 1
    stale.capacity = 3

    promoted = services.save_registration_type(registration_type=stale)

    assert [r.pk for r in promoted] == [registrations[1].pk, registrations[2].pk]
    assert RegistrationType.objects.get(pk=open_day.pk).approved_count == 3
    assert OutboxMessage.objects.filter(kind="registration_promoted").count() == 2


def test_removing_the_limit_promotes_everyone_waiting_and_a_lower_one_nobody(event):
    open_day = public_type(event, capacity=1)
    for person in ParticipantFactory.create_batch(3):
        register(person, open_day)
    open_day.refresh_from_db()
    open_day.name_en = "Open day (renamed)"

    assert services.save_registration_type(registration_type=open_day) == []
    open_day.capacity = None
    assert len(services.save_registration_type(registration_type=open_day)) == 2


@pytest.mark.parametrize(
    ("status", "may_cancel"),
    [("submitted", True), ("waitlisted", True), ("approved", True), ("declined", False)],
)
def test_may_become_follows_the_transitions_of_the_services(event, status, may_cancel):
    registration = RegistrationFactory(event=event, status=status)

    assert services.may_become(registration, S.CANCELLED) is may_cancel
    assert services.may_become(None, S.CANCELLED) is False


# --- Invitations: one check of use and expiry, one way to create them ----------------------


def test_invitation_problem_says_used_expired_or_nothing(event):
    invitation = InvitationFactory(event=event, expires_at=clock.now() + timedelta(days=1))

    fresh = services.invitation_problem(invitation)
    expired = services.invitation_problem(invitation, at=invitation.expires_at)
    invitation.used_at = clock.now()
    used = services.invitation_problem(invitation)

    assert fresh == ""
    assert expired == "This invitation has expired. Please contact ECPAT staff."
    assert used == "This invitation has already been used."


def test_add_invitations_records_who_and_queues_one_email_each(event, staff, monkeypatch):
    full = invited_type(event)
    expiry = clock.now() + timedelta(days=30)
    pending = [
        Invitation(
            event=event,
            type=full,
            email=f"guest{n}@example.org",
            name=f"Guest {n}",
            expires_at=expiry,
        )
        for n in range(2)
    ]
    sent = []
    real = invitation_services.send_invitation
    monkeypatch.setattr(
        invitation_services,
        "send_invitation",
        lambda **kwargs: sent.append(kwargs["bulk"]) or real(**kwargs),
    )

    created = invitation_services.add_invitations(invitations=pending, by=staff, bulk=True)

    assert len(created) == 2
    assert {i.created_by for i in Invitation.objects.all()} == {staff}
    assert sent == [True, True]
    assert sorted(
        OutboxMessage.objects.filter(kind="invitation").values_list("recipient", flat=True)
    ) == [
        "guest0@example.org",
        "guest1@example.org",
    ]


def test_the_import_creates_its_invitations_through_add_invitations(event, staff, monkeypatch):
    invited_type(event)
    calls = []
    real = invitation_services.add_invitations

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(invitation_services, "add_invitations", spy)
    rows = [(2, {"name": "Ana", "email": "ana@example.org", "organisation": "", "type": "full"})]

    result = invitation_services.import_invitations(
        event=event, rows=rows, expires_at=clock.now() + timedelta(days=3), by=staff
    )

    assert [len(call["invitations"]) for call in calls] == [1]
    assert (calls[0]["by"], calls[0]["bulk"]) == (staff, True)
    assert [i.email for i in result.created] == ["ana@example.org"]
