"""Admin changes to personal data go to the audit log; organisers read it here.

`AuditedAdmin` hooks the admin's own change log (every add, change, delete, password
change, list edit and bulk delete goes through these three methods), so nothing is
missed by a view that does not call `save_model`. Only field names are kept.
"""

from django.contrib import admin

from participants.models import ExportLog
from participants.services import audit


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
