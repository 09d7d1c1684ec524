"""Accounts in the admin: deleting a user erases their personal data (the same service a
participant uses from /me/), deactivating one ends their sessions, and every change is
audited. The one User admin of the project.

allauth's email addresses too: they hold personal data, so their changes go to the audit
log (participants/shared_admin.py). Every admin action declares the permission it needs
(tests/security/test_staff_roles.py): allauth's "mark as verified" is a change to
someone's account, so it asks for the change permission on email addresses, which no
staff role has (participants/roles.py).
"""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import ngettext

from participants.privacy.services import end_sessions, erase_account
from participants.shared_admin import AuditedAdmin, erase_users, with_erase_label

User = get_user_model()


class AccountAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin, audited (participants/shared_admin.py), whose delete erases."""

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


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class GuardedEmailAddressAdmin(AuditedAdmin, EmailAddressAdmin):
    @admin.action(
        description=EmailAddressAdmin.make_verified.short_description, permissions=["change"]
    )
    def make_verified(self, request, queryset) -> None:
        super().make_verified(request, queryset)
