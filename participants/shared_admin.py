"""What the admins of several features share: the audited base class (admin changes of
personal data go to the audit log), the export actions and who may use them, the
start of a long job, and the erasure of accounts.

A feature's admin never imports another feature's admin (tests/test_architecture.py).
"""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.audit import services as audit
from participants.desk.selectors.exports import DEFAULT_COLUMNS, AttendeeFilters, attendee_listing
from participants.desk.services import export_response
from participants.jobs import services as job_services
from participants.models import ExportLog
from participants.privacy.services import erase_account


def changed_field_names(message) -> list[str]:
    """The field names out of the admin's change message (a list of dicts, or text for
    some views, such as the password change); inline objects by their type only, since
    their text may name a person."""
    if not isinstance(message, list):
        return []
    names: list[str] = []
    for part in message:
        for verb, detail in part.items():
            if verb == "changed":
                names.extend(detail.get("fields", []))
            if "name" in detail:
                names.append(f"{detail['name']} ({verb})")
    return names


class AuditedAdmin(admin.ModelAdmin):
    """A model admin whose records hold personal data: every change is audited."""

    def log_addition(self, request, obj, message):
        audit.record_admin_change(
            user=request.user,
            instance=obj,
            action=ExportLog.Action.ADD,
            fields=changed_field_names(message),
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        fields = changed_field_names(message)
        if not fields and isinstance(message, str) and message:
            fields = [message]  # e.g. "Changed password." (a fixed text, no value)
        audit.record_admin_change(
            user=request.user, instance=obj, action=ExportLog.Action.CHANGE, fields=fields
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        audit.record_admin_changes(
            user=request.user, instances=list(queryset), action=ExportLog.Action.DELETE
        )
        return super().log_deletions(request, queryset)


def may_export_people(request) -> bool:
    """Lists of people leave the site only for staff with participants.export_attendees;
    a model admin offering such a list defines `has_export_attendees_permission` with it."""
    return request.user.is_staff and request.user.has_perm("participants.export_attendees")


def _export_selected(request, queryset, file_format: str):
    """The selected registrations with the usual columns, through the same export path."""
    selected = list(queryset.values_list("pk", flat=True))
    listing = attendee_listing(
        filters=AttendeeFilters(), columns=DEFAULT_COLUMNS, registration_ids=selected
    )
    return export_response(
        user=request.user, listing=listing, file_format=file_format, row_count=len(selected)
    )


@admin.action(
    description=_("Export the selected registrations as CSV"), permissions=["export_attendees"]
)
def export_selected_csv(modeladmin, request, queryset):
    return _export_selected(request, queryset, "csv")


@admin.action(
    description=_("Export the selected registrations as Excel"), permissions=["export_attendees"]
)
def export_selected_xlsx(modeladmin, request, queryset):
    return _export_selected(request, queryset, "xlsx")


# RegistrationAdmin includes these: `actions = [..., *REGISTRATION_EXPORT_ACTIONS]`.
REGISTRATION_EXPORT_ACTIONS = [export_selected_csv, export_selected_xlsx]


def start_or_show(request: HttpRequest, start, **arguments) -> HttpResponseRedirect:
    """Start a job through `start(**arguments)` and go to its page; when one of its kind
    already runs for the event, say so and go to that one."""
    try:
        job = start(by=request.user, **arguments)
    except job_services.JobBusy as busy:
        messages.warning(
            request,
            gettext("A job of this kind is already waiting or running for this event: here it is."),
        )
        job = busy.job
    return HttpResponseRedirect(job.get_absolute_url())


ERASE_DESCRIPTION = _("Erase the selected people and their personal data (on request)")


def erase_users(request, users) -> int:
    erased = 0
    for user in users:
        erase_account(user=user, by=request.user)
        erased += 1
    return erased


def with_erase_label(actions: dict) -> dict:
    """Django's "delete selected" (its confirmation page, then delete_queryset, that is
    the erasure service), named for what it does here."""
    if "delete_selected" in actions:
        function, name, _description = actions["delete_selected"]
        actions["delete_selected"] = (function, name, ERASE_DESCRIPTION)
    return actions
