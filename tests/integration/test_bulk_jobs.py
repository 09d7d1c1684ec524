"""Long staff jobs on the `bulk` queue with real workers, Redis and SMTP: an import of 2,000
invitations and the assignment of 2,000 people run there while a confirmation email on
the `default` queue arrives without waiting for them; a mass mailing queued first does
not hold a confirmation back either."""

import time
from datetime import timedelta

import pytest

from participants.jobs import services as jobs
from participants.jobs.tasks import task_run_bulk_job
from participants.models import BulkJob, Invitation, Membership
from participants.registration.services.invitations import send_invitation
from participants.registration.services.registration import approve_registration
from sanjose import clock
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    GroupFactory,
    InvitationFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

from .conftest import wait_for
from .test_outbox_worker import approved_delegates

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
PEOPLE = 2_000
RUN = "participants.tasks.task_run_bulk_job"


def invitee_lines(count: int, *, bad: set[int]) -> list[tuple[int, dict]]:
    return [
        (
            n + 2,
            {
                "name": f"Invitee Example {n:04d}",
                "email": "not-an-email" if n + 2 in bad else f"invitee{n:04d}@example.org",
                "organisation": "Example Network",
                "type": "full-dialogue",
            },
        )
        for n in range(count)
    ]


def test_an_import_and_an_assignment_of_2000_run_on_bulk_while_a_confirmation_goes_out(
    workers, mailbox
):
    event = EventFactory(name="San José Dialogue")
    RegistrationTypeFactory(event=event, slug="full-dialogue", name_en="Full Dialogue")
    approved_delegates(event=event, count=PEOPLE)
    for n in range(40):
        GroupFactory(event=event, name=f"Working group {n:02d}", capacity=51)  # 2,040 places
    bulk = workers.start(queues="bulk")
    workers.start(queues="default")
    staff = UserFactory(is_staff=True)

    imported = jobs.start_invitation_import(
        event=event,
        rows=invitee_lines(PEOPLE, bad={2, 1500}),
        expires_at=clock.now() + timedelta(days=30),
        by=staff,
    )
    proposed = jobs.start_group_proposal(event=event, by=staff)
    task_run_bulk_job.delay(imported.pk)  # delivered twice, as a lost ack would do
    wait_for(
        lambda: BulkJob.objects.get(pk=imported.pk).position > 0,
        timeout=120,
        what="the import's first chunk",
    )

    newcomer = RegistrationFactory(event=event, participant__user__email="new@example.org")
    approve_registration(registration=newcomer, by=staff)
    approved_at = time.monotonic()
    [confirmation] = wait_for(
        lambda: mailbox.received("Your registration"), timeout=60, what="the approval email"
    )
    confirmed_after = time.monotonic() - approved_at
    still_running = BulkJob.objects.get(pk=proposed.pk).state

    wait_for(
        lambda: not BulkJob.objects.filter(pk__in=[imported.pk, proposed.pk]).active().exists(),
        timeout=600,
        what="both jobs to finish",
        interval=1,
    )
    imported.refresh_from_db()
    proposed.refresh_from_db()
    assert confirmation["To"] == "new@example.org"
    assert still_running in BulkJob.ACTIVE and confirmed_after < 30
    state = (imported.state, imported.position, imported.attempts)
    assert state == ("done", PEOPLE, 1), imported.error
    assert imported.result["created"] == PEOPLE - 2
    assert imported.result["refused"] == [
        [2, "“not-an-email” is not a valid email address."],
        [1500, "“not-an-email” is not a valid email address."],
    ]
    assert Invitation.objects.filter(event=event).count() == PEOPLE - 2
    assert OutboxMessage.objects.filter(kind="invitation").count() == PEOPLE - 2
    assert proposed.state == "done", proposed.error
    # the 2,000 and the newcomer approved meanwhile
    assert proposed.result["assigned"] == PEOPLE + 1
    assert Membership.objects.filter(group__event=event).count() == PEOPLE + 1
    assert workers.succeeded(bulk, RUN) >= 3  # the import, its duplicate, the proposal


def test_a_confirmation_queued_after_a_mass_mailing_is_sent_before_it(workers, mailbox):
    event = EventFactory(name="San José Dialogue")
    for n in range(300):
        invitation = InvitationFactory(event=event, email=f"invitee{n:03d}@example.org")
        send_invitation(invitation=invitation, bulk=True)
    newcomer = RegistrationFactory(event=event, participant__user__email="new@example.org")
    approve_registration(registration=newcomer, by=UserFactory(is_staff=True))

    workers.start(queues="default")
    wait_for(lambda: len(mailbox.received()) >= 301, timeout=180, what="every email", interval=1)

    order = [message["To"] for message in mailbox.received()]
    assert order.index("new@example.org") < 5
