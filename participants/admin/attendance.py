from django.contrib import admin

from participants.models import CheckIn, ExportLog


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["registration", "day", "checked_in_at", "checked_in_by"]
    list_filter = ["day"]
    list_select_related = ["registration__participant", "checked_in_by"]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "file_format", "row_count"]
    list_filter = ["kind", "file_format"]
    readonly_fields = ["at", "user", "kind", "file_format", "filters", "row_count"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
