"""The admin of session sign-ups."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from participants.models import SessionSignup
from participants.signups import services as signup_services


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
