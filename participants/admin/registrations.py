from django.contrib import admin

from participants.admin.attendance import REGISTRATION_EXPORT_ACTIONS
from participants.models import Invitation, Registration, RegistrationChange, RegistrationType


@admin.register(RegistrationType)
class RegistrationTypeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "event", "is_public", "capacity", "approved_count"]
    list_filter = ["event", "is_public"]
    readonly_fields = ["approved_count"]


class RegistrationChangeInline(admin.TabularInline):
    model = RegistrationChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_by", "reason", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["participant", "event", "type", "status", "waitlist_position", "created_at"]
    list_filter = ["event", "type", "status"]
    search_fields = ["participant__badge_name", "participant__user__email"]
    list_select_related = ["participant", "event", "type"]
    inlines = [RegistrationChangeInline]
    actions = [*REGISTRATION_EXPORT_ACTIONS]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "type", "expires_at", "used_at"]
    list_filter = ["event", "type"]
    search_fields = ["name", "email", "organisation"]
