"""Long staff jobs (an invitation import, a working-group proposal or publication) that a
worker of the `bulk` queue runs while staff watch their page (participants/jobs/services.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BulkJobQuerySet(models.QuerySet):
    def active(self) -> "BulkJobQuerySet":
        return self.filter(state__in=BulkJob.ACTIVE)


class BulkJob(models.Model):
    class Kind(models.TextChoices):
        INVITATION_IMPORT = "invitation_import", _("Invitation import")
        GROUP_PROPOSAL = "group_proposal", _("Working-group proposal")
        GROUP_PUBLICATION = "group_publication", _("Working-group publication")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("stopped")

    ACTIVE = (State.QUEUED, State.RUNNING)
    GROUP_KINDS = (Kind.GROUP_PROPOSAL, Kind.GROUP_PUBLICATION)

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="bulk_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    # The messages the job writes (refused lines) are in the language of whoever started it.
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("lines or people"), default=0)
    position = models.PositiveIntegerField(_("done so far"), default=0)
    # What the job works on (an import's lines); emptied once it is done.
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("why it stopped"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # Set by each claim and each committed chunk: a running job whose worker died stops
    # moving, and `sweep_jobs` queues it again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = BulkJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("long job")
        verbose_name_plural = _("long jobs")
        constraints = [
            # One import at a time per event (its duplicate check reads what is imported),
            # and one proposal or publication at a time per event.
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(state__in=["queued", "running"], kind="invitation_import"),
                name="one_active_import_per_event",
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(
                    state__in=["queued", "running"],
                    kind__in=["group_proposal", "group_publication"],
                ),
                name="one_active_group_job_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("admin:participants_bulkjob_status", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.position / self.total) if self.total else 0
