"""The admin of the accounts the project does not own (users, allauth's email addresses).

Both hold personal data, so their changes go to the audit log (participants/admin/audit.py).
Every admin action declares the permission it needs (tests/security/test_staff_roles.py):
allauth's "mark as verified" is a change to someone's account, so it asks for the change
permission on email addresses, which no staff role has (participants/roles.py).
"""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from participants.admin.audit import AuditedAdmin

User = get_user_model()
admin.site.unregister(EmailAddress)
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    pass


@admin.register(EmailAddress)
class GuardedEmailAddressAdmin(AuditedAdmin, EmailAddressAdmin):
    @admin.action(
        description=EmailAddressAdmin.make_verified.short_description, permissions=["change"]
    )
    def make_verified(self, request, queryset) -> None:
        super().make_verified(request, queryset)
