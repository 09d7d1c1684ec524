"""Long staff jobs on the `bulk` queue: an invitation import, a working-group proposal, a
working-group publication. The admin starts one (`start_…`), a worker runs it
(`run_job`, through `participants.tasks.task_run_bulk_job`), and staff watch its page.

Each job is a row (`BulkJob`) that says where it stands. A worker takes it with a
conditional UPDATE (`claim_job`), so a task delivered twice runs it once. An import goes
IMPORT_CHUNK lines per transaction: the chunk's invitations, their emails and the job's
position and counts commit together, so a job that stops (a worker killed, an error) has
written whole chunks only and goes on from its position when resumed or re-delivered. A
proposal and a publication are one transaction each: done, or nothing written.

Without a broker (the embedded default) the task runs inline when the job's row commits,
so the page shows the finished job at once.
"""

import logging
import time
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from events.models import Event
from participants.groups.services import grouping
from participants.models import BulkJob
from participants.registration.services import invitations as invitation_services
from sanjose import clock
from sanjose.queueing import enqueue_after_commit

logger = logging.getLogger(__name__)

IMPORT_CHUNK = 200
# A task gives its place back after this long and queues the rest of the job, so no job
# meets the task's time limit whatever its size.
SLICE_SECONDS = 60
# A job nobody took (a lost broker message) or that stopped moving (its worker died) for
# this long is queued again by `sweep_jobs`; longer than the longest slice or proposal.
STALE_AFTER = timedelta(minutes=10)

State = BulkJob.State
Kind = BulkJob.Kind


class JobBusy(Exception):
    """A job of the same kind is already waiting or running for the event."""

    def __init__(self, job: BulkJob):
        super().__init__(str(job))
        self.job = job


def _same_lane(kind: str) -> list[str]:
    return list(BulkJob.GROUP_KINDS) if kind in BulkJob.GROUP_KINDS else [kind]


def _start(*, kind: str, event: Event, by, total: int = 0, payload: dict | None = None):
    active = BulkJob.objects.active().filter(event=event, kind__in=_same_lane(kind)).first()
    if active is not None:
        raise JobBusy(active)
    try:
        with transaction.atomic():
            job = BulkJob.objects.create(
                kind=kind,
                event=event,
                created_by=by if getattr(by, "is_authenticated", False) else None,
                language=translation.get_language() or "en",
                total=total,
                payload=payload or {},
            )
    except IntegrityError:  # started at the same moment from another page
        raise JobBusy(
            BulkJob.objects.active().filter(event=event, kind__in=_same_lane(kind)).first()
        ) from None
    _queue(job)
    return job


def _queue(job: BulkJob) -> None:
    from participants.jobs.tasks import task_run_bulk_job

    enqueue_after_commit(
        task_run_bulk_job, [(job.pk,)], what="the job sweep will queue the job again"
    )


def start_invitation_import(
    *, event: Event, rows: list[tuple[int, dict]], expires_at: datetime, by
) -> BulkJob:
    """Record an import of `rows` (as `invitations.read_rows` gives them) and queue it.
    Raises JobBusy when an import of the event is already waiting or running. Writes no
    invitation and sends nothing by itself: the worker does (`run_job`)."""
    return _start(
        kind=Kind.INVITATION_IMPORT,
        event=event,
        by=by,
        total=len(rows),
        payload={
            "rows": [[number, row] for number, row in rows],
            "expires_at": expires_at.isoformat(),
        },
    )


def start_group_proposal(*, event: Event, by) -> BulkJob:
    """Queue a working-group proposal for the event (`grouping.propose_working_groups`).
    Raises JobBusy while a proposal or publication of the event waits or runs."""
    return _start(kind=Kind.GROUP_PROPOSAL, event=event, by=by)


def start_group_publication(*, event: Event, by) -> BulkJob:
    """Queue the publication of the event's working groups and its emails
    (`grouping.publish_working_groups`). Raises JobBusy like `start_group_proposal`."""
    return _start(kind=Kind.GROUP_PUBLICATION, event=event, by=by)


@transaction.atomic
def resume_job(*, job: BulkJob) -> bool:
    """Queue a stopped job again: an import goes on from the first line it had not
    written. Returns False, changing nothing, when the job had not stopped or another
    job of its kind is active for the event."""
    busy = (
        BulkJob.objects.active()
        .filter(event_id=job.event_id, kind__in=_same_lane(job.kind))
        .exists()
    )
    if busy:
        return False
    changed = BulkJob.objects.filter(pk=job.pk, state=State.FAILED).update(
        state=State.QUEUED, error="", claimed_at=clock.now(), finished_at=None
    )
    if changed:
        _queue(job)
    return bool(changed)


def claim_job(*, job_id: int) -> BulkJob | None:
    """Take a waiting job (or a running one whose worker stopped moving) for this worker;
    None when another worker has it or it is finished."""
    now = clock.now()
    claimed = (
        BulkJob.objects.filter(pk=job_id)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, claimed_at__lt=now - STALE_AFTER))
        .update(state=State.RUNNING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return None
    return BulkJob.objects.select_related("event", "created_by").get(pk=job_id)


def run_job(*, job_id: int) -> str | None:
    """Claim the job and run it in the language of whoever started it. A refusal staff
    can act on (GroupingError) or any other error stops the job with a message on its
    page, keeping what it had committed. Returns the job's state, None if not claimed."""
    job = claim_job(job_id=job_id)
    if job is None:
        logger.info("bulk job %s already taken or finished", job_id)
        return None
    runners = {
        Kind.INVITATION_IMPORT: _run_invitation_import,
        Kind.GROUP_PROPOSAL: _run_group_proposal,
        Kind.GROUP_PUBLICATION: _run_group_publication,
    }
    with translation.override(job.language):
        try:
            runners[job.kind](job)
        except grouping.GroupingError as error:
            _stop(job, str(error))
        except Exception as error:
            # The message may quote a line of the file (personal data): the type only.
            logger.error("bulk job %s (%s) stopped: %s", job.pk, job.kind, type(error).__name__)
            _stop(
                job,
                _(
                    "The job stopped on an unexpected error. What it had finished is kept; "
                    "resume it to go on from there."
                ),
            )
    return BulkJob.objects.values_list("state", flat=True).get(pk=job.pk)


def _stop(job: BulkJob, message: str) -> None:
    BulkJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
        state=State.FAILED, error=message, finished_at=clock.now()
    )


def _locked(job: BulkJob) -> BulkJob | None:
    """The job's row, locked until the transaction ends; None if it is no longer running
    (another worker finished it)."""
    current = BulkJob.objects.select_for_update().get(pk=job.pk)
    return current if current.state == State.RUNNING else None


def _finish(job: BulkJob, *, result: dict) -> None:
    job.result = result
    job.state = State.DONE
    job.payload = {}  # the lines held names and addresses: not kept beyond the import
    job.finished_at = job.claimed_at = clock.now()
    job.save(
        update_fields=[
            "result",
            "state",
            "payload",
            "position",
            "total",
            "finished_at",
            "claimed_at",
        ]
    )


def _run_invitation_import(job: BulkJob) -> None:
    started = time.monotonic()
    while True:
        with transaction.atomic():
            current = _locked(job)
            if current is None:
                return
            rows = current.payload["rows"][current.position : current.position + IMPORT_CHUNK]
            outcome = invitation_services.import_invitations(
                event=current.event,
                rows=[(number, row) for number, row in rows],
                expires_at=parse_datetime(current.payload["expires_at"]),
                by=current.created_by,
            )
            current.position += len(rows)
            result = {
                "created": current.result.get("created", 0) + len(outcome.created),
                "refused": [*current.result.get("refused", []), *outcome.errors],
            }
            if current.position >= current.total:
                _finish(current, result=result)
                return
            current.result = result
            current.claimed_at = clock.now()
            if time.monotonic() - started > SLICE_SECONDS:
                current.state = State.QUEUED
                _queue(current)
            current.save(update_fields=["position", "result", "claimed_at", "state"])
            if current.state == State.QUEUED:
                return


def _run_group_proposal(job: BulkJob) -> None:
    with transaction.atomic():
        current = _locked(job)
        if current is None:
            return
        proposal = grouping.propose_working_groups(event=current.event)
        current.total = current.position = proposal.assigned + proposal.kept
        _finish(
            current,
            result={
                "assigned": proposal.assigned,
                "kept": proposal.kept,
                "is_draft": proposal.is_draft,
                "not_understanding": proposal.not_understanding,
            },
        )


def _run_group_publication(job: BulkJob) -> None:
    with transaction.atomic():
        current = _locked(job)
        if current is None:
            return
        sent = grouping.publish_working_groups(event=current.event)
        current.total = current.position = sent
        _finish(current, result={"sent": sent})


@transaction.atomic
def sweep_jobs() -> int:
    """Queue again the jobs no worker took (a lost broker message) or that stopped moving
    (their worker died) for STALE_AFTER; the claim runs each once. Returns how many."""
    stale = clock.now() - STALE_AFTER
    jobs = list(
        BulkJob.objects.filter(
            Q(state=State.QUEUED, created_at__lt=stale, claimed_at__isnull=True)
            | Q(state__in=BulkJob.ACTIVE, claimed_at__lt=stale)
        ).select_for_update(skip_locked=True)
    )
    for job in jobs:
        # Restart the clock so the next sweep does not queue it again at once.
        BulkJob.objects.filter(pk=job.pk).update(state=State.QUEUED, claimed_at=clock.now())
        _queue(job)
    if jobs:
        logger.info("job sweep: %s queued again", len(jobs))
    return len(jobs)
