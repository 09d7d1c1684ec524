"""Long staff jobs (participants/jobs/services.py): claimed once, whole chunks or nothing,
resumable, and shown on a page that reloads itself while they run."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import translation

from participants.jobs import services as jobs
from participants.models import BulkJob, Group, Invitation, Membership, Registration
from participants.registration.services import invitations
from sanjose import clock
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    GroupFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
State = BulkJob.State


@pytest.fixture
def event():
    return EventFactory(name="San José Dialogue", is_current=True)


@pytest.fixture
def full(event):
    return RegistrationTypeFactory(event=event, slug="full-dialogue", name_en="Full Dialogue")


@pytest.fixture
def staff_client(client):
    return sign_in_staff(client, UserFactory(username="staff", is_staff=True, is_superuser=True))


def lines(count: int, *, start: int = 1, bad: tuple[int, ...] = ()) -> list[tuple[int, dict]]:
    """(spreadsheet line, row) pairs; the lines numbered in `bad` have no valid email."""
    return [
        (
            n + 1,
            {
                "name": f"Delegate Example {n:04d}",
                "email": "broken" if n + 1 in bad else f"delegate{n:04d}@example.org",
                "organisation": "Example Network",
                "type": "full-dialogue",
            },
        )
        for n in range(start, start + count)
    ]


def queued_import(event, rows) -> BulkJob:
    """An import job whose row is written but whose task has not run (no commit in a test)."""
    return jobs.start_invitation_import(
        event=event, rows=rows, expires_at=clock.now() + timedelta(days=30), by=None
    )


def test_an_import_delivered_twice_runs_once(event, full):
    job = queued_import(event, lines(450, bad=(10,)))

    first = jobs.run_job(job_id=job.pk)
    second = jobs.run_job(job_id=job.pk)

    job.refresh_from_db()
    assert (first, second) == ("done", None)
    assert (job.position, job.total, job.attempts) == (450, 450, 1)
    assert job.result == {
        "created": 449,
        "refused": [[10, "“broken” is not a valid email address."]],
    }
    assert job.payload == {}  # the names and addresses are not kept once imported
    assert Invitation.objects.count() == OutboxMessage.objects.count() == 449


def test_an_import_that_fails_keeps_whole_chunks_and_resumes_after_them(event, full, monkeypatch):
    job = queued_import(event, lines(3 * jobs.IMPORT_CHUNK, bad=(5, 450)))
    real_import, calls = invitations.import_invitations, []

    def failing_on_the_second_chunk(**arguments):
        calls.append(len(arguments["rows"]))
        made = real_import(**arguments)
        if len(calls) == 2:
            raise RuntimeError("database went away")  # after writing: must roll back
        return made

    monkeypatch.setattr(invitations, "import_invitations", failing_on_the_second_chunk)
    assert jobs.run_job(job_id=job.pk) == "failed"
    job.refresh_from_db()
    stopped = (job.state, job.position, Invitation.objects.count(), OutboxMessage.objects.count())

    monkeypatch.setattr(invitations, "import_invitations", real_import)
    assert jobs.resume_job(job=job) is True
    assert jobs.run_job(job_id=job.pk) == "done"

    job.refresh_from_db()
    chunk = jobs.IMPORT_CHUNK
    assert stopped == (State.FAILED, chunk, chunk - 1, chunk - 1)
    assert job.result["created"] == 3 * chunk - 2
    assert [line for line, _problem in job.result["refused"]] == [5, 450]
    assert Invitation.objects.count() == OutboxMessage.objects.count() == 3 * chunk - 2


def test_a_failed_job_says_why_in_the_starters_language(event, full, monkeypatch):
    monkeypatch.setattr(invitations, "import_invitations", lambda **kw: 1 / 0)
    with translation.override("es"):
        job = queued_import(event, lines(3))

    jobs.run_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.language == "es"
    assert job.error.startswith("El trabajo se detuvo por un error inesperado.")


def test_a_long_import_gives_its_place_back_and_goes_on(event, full, monkeypatch):
    monkeypatch.setattr(jobs, "SLICE_SECONDS", -1)  # every chunk is past the slice
    job = queued_import(event, lines(2 * jobs.IMPORT_CHUNK + 1))

    jobs.run_job(job_id=job.pk)
    job.refresh_from_db()
    after_one_slice = (job.state, job.position)
    while jobs.run_job(job_id=job.pk) != "done":
        pass

    assert after_one_slice == (State.QUEUED, jobs.IMPORT_CHUNK)
    assert Invitation.objects.count() == 2 * jobs.IMPORT_CHUNK + 1


def test_a_running_job_is_claimed_again_only_once_its_worker_stopped_moving(event, full):
    job = queued_import(event, lines(3))
    BulkJob.objects.filter(pk=job.pk).update(state=State.RUNNING, claimed_at=clock.now())

    while_moving = jobs.run_job(job_id=job.pk)
    BulkJob.objects.filter(pk=job.pk).update(claimed_at=clock.now() - jobs.STALE_AFTER * 2)
    after_it_stopped = jobs.run_job(job_id=job.pk)

    assert (while_moving, after_it_stopped) == (None, "done")
    assert Invitation.objects.count() == 3


def test_the_sweep_queues_forgotten_and_stalled_jobs_again(event, full, monkeypatch):
    fresh = queued_import(event, lines(3))
    other = EventFactory()
    RegistrationTypeFactory(event=other, slug="full-dialogue")
    stalled = queued_import(other, lines(3))
    long_ago = clock.now() - jobs.STALE_AFTER * 2
    BulkJob.objects.filter(pk=stalled.pk).update(state=State.RUNNING, claimed_at=long_ago)
    queued = []
    monkeypatch.setattr(jobs, "_queue", lambda job: queued.append(job.pk))

    assert jobs.sweep_jobs() == 1
    assert queued == [stalled.pk]
    assert BulkJob.objects.get(pk=stalled.pk).state == State.QUEUED
    assert BulkJob.objects.get(pk=fresh.pk).state == State.QUEUED


def test_one_import_at_a_time_per_event(event, full):
    first = queued_import(event, lines(3))

    with pytest.raises(jobs.JobBusy) as busy:
        queued_import(event, lines(3, start=10))

    assert busy.value.job == first


def people_in_groups(event, people: int, places: int):
    for n in range(2):
        GroupFactory(event=event, name=f"Working group {n}", capacity=places // 2)
    for _ in range(people):
        RegistrationFactory(
            participant=ParticipantFactory(), event=event, status=Registration.Status.APPROVED
        )


def test_a_proposal_that_cannot_fit_writes_nothing_and_says_why(event):
    people_in_groups(event, people=5, places=4)
    with translation.override("es"):
        job = jobs.start_group_proposal(event=event, by=None)

    assert jobs.run_job(job_id=job.pk) == "failed"

    job.refresh_from_db()
    assert job.error == (
        "5 personas para 4 plazas: aumente la capacidad de un grupo o añada un grupo."
    )
    assert not Membership.objects.exists()


def test_a_proposal_then_a_publication_run_as_jobs(event):
    people_in_groups(event, people=6, places=6)

    proposed = jobs.start_group_proposal(event=event, by=None)
    jobs.run_job(job_id=proposed.pk)
    published = jobs.start_group_publication(event=event, by=None)
    jobs.run_job(job_id=published.pk)

    proposed.refresh_from_db()
    published.refresh_from_db()
    assert proposed.result == {
        "assigned": 6,
        "kept": 0,
        "is_draft": False,
        "not_understanding": [],
    }
    assert published.result == {"sent": 6}
    assert Group.objects.filter(event=event, is_published=True).count() == 2
    assert OutboxMessage.objects.filter(kind="group_published").count() == 6


def test_the_job_page_reloads_itself_while_the_job_runs_and_stops_when_done(
    staff_client, event, full
):
    job = queued_import(event, lines(3, bad=(2,)))

    waiting = staff_client.get(job.get_absolute_url()).content.decode()
    jobs.run_job(job_id=job.pk)
    done = staff_client.get(job.get_absolute_url()).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "Waiting for a worker" in waiting
    assert "http-equiv" not in done
    assert "2 invitations created and sent; 1 line refused." in done
    assert "“broken” is not a valid email address." in done
    assert "<script>" not in waiting + done  # no inline script: the CSP forbids it


def test_a_stopped_job_is_resumed_from_its_page(
    staff_client, event, full, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(invitations, "import_invitations", lambda **kw: 1 / 0)
    job = queued_import(event, lines(3))
    jobs.run_job(job_id=job.pk)
    page = staff_client.get(job.get_absolute_url()).content.decode()
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/participants/bulkjob/{job.pk}/resume/")

    job.refresh_from_db()
    assert "Resume" in page and "The job stopped on an unexpected error." in page
    assert job.state == State.DONE and Invitation.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_second_import_started_from_the_admin_leads_to_the_running_one(staff_client, event, full):
    running = queued_import(event, lines(3))
    upload_rows = "name,email,organisation,type\nA Example,a@example.org,,full-dialogue\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client.post(
        "/admin/participants/invitation/import/",
        {
            "event": event.pk,
            "file": SimpleUploadedFile("more.csv", upload_rows.encode()),
            "valid_days": 30,
        },
        follow=True,
    )

    assert response.redirect_chain == [(running.get_absolute_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "A job of this kind is already waiting or running for this event: here it is."
    ]
    assert BulkJob.objects.count() == 1
