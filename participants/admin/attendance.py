from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from participants.models import CheckIn, ExportLog, SessionSignup
from participants.selectors.exports import DEFAULT_COLUMNS, AttendeeFilters, attendee_listing
from participants.services import signups as signup_services
from participants.services.exports import export_response


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["registration", "day", "checked_in_at", "checked_in_by"]
    list_filter = ["day"]
    list_select_related = ["registration__participant", "checked_in_by"]


@admin.register(SessionSignup)
class SessionSignupAdmin(admin.ModelAdmin):
    """Each session's list, seats then the waiting list. People sign up on the site;
    staff withdraw a sign-up through the same service (the next in line moves up)."""

    list_display = ["participant", "session", "status", "waitlist_position", "created_at"]
    list_filter = ["session__event", "status", "session"]
    list_select_related = ["participant", "session"]
    search_fields = ["participant__badge_name", "participant__user__email", "session__title_en"]
    readonly_fields = ["participant", "session", "status", "waitlist_position", "created_at"]
    ordering = ["session", "-status", "waitlist_position", "created_at"]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting rows would skip the waiting list
        return actions

    @admin.action(
        description=_("Withdraw the selected sign-ups (the waiting list moves up)"),
        permissions=["delete"],
    )
    def withdraw(self, request, queryset):
        promoted = 0
        for signup in queryset:
            promoted += len(signup_services.cancel_signup(signup=signup))
        self.message_user(request, _("Withdrawn. %(promoted)d moved up.") % {"promoted": promoted})


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
