"""Long jobs in the admin: the list, and each job's page (state, progress, result), which
reloads itself while the job waits or runs (a meta refresh: no script, CSP holds).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from participants.jobs import services as job_services
from participants.models import BulkJob, Participant

REFRESH_SECONDS = 2
# Who may see a job, and who may resume it: the permissions of what the job does.
PERMISSIONS = {
    BulkJob.Kind.INVITATION_IMPORT: ("participants.view_invitation", "participants.add_invitation"),
    BulkJob.Kind.GROUP_PROPOSAL: ("participants.view_group", "participants.change_group"),
    BulkJob.Kind.GROUP_PUBLICATION: ("participants.view_group", "participants.change_group"),
}


def import_summary(*, created: int, refused: int) -> str:
    """ "3 invitations created and sent; 1 line refused.", each count with its own plural."""
    made = (
        ngettext("%d invitation created and sent", "%d invitations created and sent", created)
        % created
    )
    if not refused:
        return _("%s.") % made
    return _("%(created)s; %(refused)s.") % {
        "created": made,
        "refused": ngettext("%d line refused", "%d lines refused", refused) % refused,
    }


def proposal_messages(result: dict) -> list[tuple[int, str]]:
    """What staff are told of a finished proposal (level, text)."""
    said = [
        (
            messages.SUCCESS,
            _(
                "Proposed: %(assigned)s people assigned, %(kept)s locked people kept. "
                "Review, then publish."
            )
            % {"assigned": result["assigned"], "kept": result["kept"]},
        )
    ]
    if result["is_draft"]:
        said.append(
            (
                messages.INFO,
                _("This is a draft: members keep the published groups until you publish it."),
            )
        )
    if result["not_understanding"]:
        count = len(result["not_understanding"])
        names = Participant.objects.filter(pk__in=result["not_understanding"]).values_list(
            "badge_name", flat=True
        )
        said.append(
            (
                messages.WARNING,
                ngettext(
                    "%(count)d person shares no language with their group or its "
                    "interpreting: %(names)s. Add an interpreting language or a working "
                    "language, or move them.",
                    "%(count)d people share no language with their group or its "
                    "interpreting: %(names)s. Add an interpreting language or a working "
                    "language, or move them.",
                    count,
                )
                % {"count": count, "names": ", ".join(sorted(names))},
            )
        )
    return said


def job_messages(job: BulkJob) -> list[tuple[str, str]]:
    """The finished job's outcome as admin message lines (CSS level tag, text)."""
    if job.state == BulkJob.State.FAILED:
        return [("error", job.error)]
    if job.state != BulkJob.State.DONE:
        return []
    if job.kind == BulkJob.Kind.INVITATION_IMPORT:
        refused = len(job.result["refused"])
        level = messages.SUCCESS if not refused else messages.WARNING
        said = [(level, import_summary(created=job.result["created"], refused=refused))]
    elif job.kind == BulkJob.Kind.GROUP_PROPOSAL:
        said = proposal_messages(job.result)
    else:
        said = [
            (
                messages.SUCCESS,
                _("Published. %(sent)s people will get an email.") % {"sent": job.result["sent"]},
            )
        ]
    return [(messages.DEFAULT_TAGS[level], text) for level, text in said]


@admin.register(BulkJob)
class BulkJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "state", "position", "total", "created_by", "created_at"]
    list_filter = ["kind", "state", "event"]
    list_select_related = ["event", "created_by"]

    def has_add_permission(self, request) -> bool:
        return False  # started from the invitation import and the working-group pages

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        kinds = [obj.kind] if obj is not None else list(PERMISSIONS)
        return any(request.user.has_perm(PERMISSIONS[kind][0]) for kind in kinds)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def get_queryset(self, request):
        viewable = [k for k, (view, _change) in PERMISSIONS.items() if request.user.has_perm(view)]
        return super().get_queryset(request).filter(kind__in=viewable)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:job_id>/", wrap(self.status_view), name="participants_bulkjob_status"),
            path(
                "<int:job_id>/resume/",
                wrap(require_POST(self.resume_view)),
                name="participants_bulkjob_resume",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The list's links lead to the job's page."""
        if not str(object_id).isdigit():
            raise Http404
        return self.status_view(request, int(object_id))

    def _job(self, request: HttpRequest, job_id: int) -> BulkJob:
        job = get_object_or_404(BulkJob.objects.select_related("event", "created_by"), pk=job_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def status_view(self, request: HttpRequest, job_id: int) -> TemplateResponse:
        job = self._job(request, job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{job.get_kind_display()}: {job.event.name}",
            "opts": self.model._meta,
            "job": job,
            "refresh_seconds": REFRESH_SECONDS if job.is_active else None,
            "outcome": job_messages(job),
            "can_resume": job.state == BulkJob.State.FAILED
            and request.user.has_perm(PERMISSIONS[job.kind][1]),
            "back_url": back_url(job),
        }
        return TemplateResponse(request, "admin/participants/bulkjob/status.html", context)

    def resume_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = self._job(request, job_id)
        if not request.user.has_perm(PERMISSIONS[job.kind][1]):
            raise PermissionDenied
        if not job_services.resume_job(job=job):
            messages.error(
                request, _("This job cannot be resumed: it has not stopped, or another is running.")
            )
        return HttpResponseRedirect(job.get_absolute_url())


def back_url(job: BulkJob) -> str:
    """Where staff go on from a job: the import form, or the event's working groups."""
    if job.kind == BulkJob.Kind.INVITATION_IMPORT:
        return reverse("admin:participants_invitation_import")
    return reverse("admin:participants_group_assignment", args=[job.event_id])
