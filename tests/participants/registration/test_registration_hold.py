"""A staff hold and a wait for a place are two different waiting-list states."""

import pytest

from participants.models import Registration, RegistrationType
from participants.registration.services import registration as services
from sanjose.outbox.models import OutboxMessage
from tests.factories import EventFactory, ParticipantFactory, RegistrationTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def staff():
    return UserFactory(username="staff", is_staff=True)


@pytest.fixture
def delegates():
    return RegistrationTypeFactory(
        event=EventFactory(is_current=True), is_public=False, capacity=3, slug="delegates"
    )


def submitted(registration_type):
    participant = ParticipantFactory()
    return services.register(
        participant=participant, registration_type=registration_type, by=participant.user
    )


def test_waitlisting_while_places_are_free_is_a_hold_with_no_position(delegates, staff):
    registration = services.waitlist_registration(
        registration=submitted(delegates), by=staff, reason="Check the organisation first"
    )

    registration.refresh_from_db()
    assert (registration.status, registration.on_hold) == (S.WAITLISTED, True)
    assert registration.waitlist_position is None
    assert services.waitlist_rank(registration) is None


def test_the_hold_email_does_not_say_places_are_taken(delegates, staff):
    registration = services.waitlist_registration(registration=submitted(delegates), by=staff)

    message = OutboxMessage.objects.get(
        kind="registration_waitlisted", object_key=f"registration:{registration.pk}"
    )
    assert "taken" not in message.body_text
    assert "on hold while they decide" in message.body_text
    assert "on hold while they decide" in message.body_html
    assert "on hold" in message.subject


def test_raising_capacity_promotes_only_those_waiting_for_a_place(delegates, staff):
    held = services.waitlist_registration(registration=submitted(delegates), by=staff)
    for _ in range(3):
        services.approve_registration(registration=submitted(delegates), by=staff)
    waiting = services.waitlist_registration(registration=submitted(delegates), by=staff)
    waiting.refresh_from_db()
    assert (waiting.on_hold, waiting.waitlist_position) == (False, 1)
    assert services.waitlist_rank(waiting) == 1

    RegistrationType.objects.filter(pk=delegates.pk).update(capacity=5)
    promoted = services.fill_from_waitlist(registration_type=delegates)

    assert [r.pk for r in promoted] == [waiting.pk]
    held.refresh_from_db()
    assert (held.status, held.on_hold) == (S.WAITLISTED, True)
    assert RegistrationType.objects.get(pk=delegates.pk).approved_count == 4


def test_a_freed_place_skips_the_hold_and_staff_can_still_approve_it(delegates, staff):
    approved = [
        services.approve_registration(registration=submitted(delegates), by=staff) for _ in range(2)
    ]
    held = services.waitlist_registration(registration=submitted(delegates), by=staff)
    services.approve_registration(registration=submitted(delegates), by=staff)
    services.decline_registration(registration=approved[0], by=staff)

    held.refresh_from_db()
    assert held.status == S.WAITLISTED
    services.approve_registration(registration=held, by=staff)
    held.refresh_from_db()
    assert (held.status, held.on_hold, held.waitlist_position) == (S.APPROVED, False, None)


def test_waitlisting_when_full_is_a_wait_for_a_place_and_says_so(delegates, staff):
    for _ in range(3):
        services.approve_registration(registration=submitted(delegates), by=staff)
    registration = services.waitlist_registration(registration=submitted(delegates), by=staff)

    message = OutboxMessage.objects.get(
        kind="registration_waitlisted", object_key=f"registration:{registration.pk}"
    )
    assert "are taken for now. You are number 1 on the waiting list" in message.body_text


def test_me_page_tells_a_held_person_staff_are_deciding(client, delegates, staff):
    registration = services.waitlist_registration(registration=submitted(delegates), by=staff)
    client.force_login(registration.participant.user)

    page = client.get("/me/").content.decode()

    assert "on hold while they decide" in page
    assert "on the waiting list. If a place" not in page
