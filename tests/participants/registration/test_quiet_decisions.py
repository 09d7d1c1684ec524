"""`notify=False`: the same decisions and counters, no email (the demo's invented people)."""

from datetime import timedelta

import pytest

from participants.models import Invitation, Registration
from participants.registration.services.invitations import add_invitations
from participants.registration.services.registration import (
    approve_registration,
    decline_registration,
    register,
)
from sanjose import clock
from sanjose.outbox.models import OutboxMessage
from tests.factories.participants import ParticipantFactory, RegistrationTypeFactory


@pytest.mark.django_db
def test_quiet_register_approve_and_decline_move_the_counter_and_queue_nothing():
    full = RegistrationTypeFactory(capacity=5)
    public = RegistrationTypeFactory(event=full.event, is_public=True, capacity=5)
    approved, declined = (
        register(participant=ParticipantFactory(), registration_type=full, by=None, notify=False)
        for _ in range(2)
    )
    guest = register(
        participant=ParticipantFactory(), registration_type=public, by=None, notify=False
    )

    approve_registration(registration=approved, by=None, notify=False)
    approve_registration(registration=declined, by=None, notify=False)
    decline_registration(registration=declined, by=None, notify=False)

    full.refresh_from_db()
    public.refresh_from_db()
    statuses = [r.status for r in Registration.objects.order_by("pk")]
    assert statuses == ["approved", "declined", "approved"]
    assert (full.approved_count, public.approved_count, guest.status) == (1, 1, "approved")
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_register_and_approve_still_email_by_default():
    full = RegistrationTypeFactory()
    registration = register(participant=ParticipantFactory(), registration_type=full, by=None)
    approve_registration(registration=registration, by=None)

    assert sorted(OutboxMessage.objects.values_list("kind", flat=True)) == [
        "registration_approved",
        "registration_received",
    ]


@pytest.mark.django_db
def test_quiet_invitations_are_made_without_their_email():
    full = RegistrationTypeFactory()
    invitation = Invitation(
        event=full.event,
        type=full,
        email="invitee@example.org",
        name="Invitee Example",
        expires_at=clock.now() + timedelta(days=30),
    )

    add_invitations(invitations=[invitation], by=None, notify=False)

    assert Invitation.objects.count() == 1
    assert OutboxMessage.objects.count() == 0


def test_the_clock_set_to_a_moment_answers_it_inside_the_block_only():
    moment = clock.now() - timedelta(days=400)

    with clock.set_to(moment):
        inside = clock.now()

    assert inside == moment
    assert clock.now() > moment + timedelta(days=399)
