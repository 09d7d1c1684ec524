"""The audit log in the admin: read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from participants.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """The audit log, read-only: exports and admin changes to personal data (organisers
    have participants.view_exportlog; nobody can add, change or delete an entry)."""

    list_display = ["at", "user", "action", "kind", "object_id", "changed", "row_count"]
    list_filter = ["action", "kind", "file_format"]
    list_select_related = ["user"]
    search_fields = ["user__email", "kind", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "user",
        "action",
        "kind",
        "object_id",
        "fields",
        "file_format",
        "filters",
        "row_count",
    ]

    @admin.display(description=_("fields changed"))
    def changed(self, entry: ExportLog) -> str:
        return ", ".join(entry.fields)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
