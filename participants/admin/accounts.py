"""Accounts in the admin: deleting a user erases their personal data (the same service a
participant uses from /me/), deactivating one ends their sessions, and every change is
audited. The one User admin of the project."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participants.admin.audit import AuditedAdmin
from participants.services.privacy import end_sessions, erase_account

User = get_user_model()
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


class AccountAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin, audited (participants/admin/audit.py), whose delete erases."""

    def delete_model(self, request, obj) -> None:
        erase_account(user=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        erase_users(request, list(queryset))

    def get_actions(self, request):
        return with_erase_label(super().get_actions(request))

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            ended = end_sessions(user=obj)
            self.message_user(
                request,
                ngettext(
                    "Deactivated: %(count)d session ended.",
                    "Deactivated: %(count)d sessions ended.",
                    ended,
                )
                % {"count": ended},
                messages.INFO,
            )


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
