"""The admin of allauth's email addresses (the User admin is participants/admin/accounts.py).

They hold personal data, so their changes go to the audit log (participants/admin/audit.py).
Every admin action declares the permission it needs (tests/security/test_staff_roles.py):
allauth's "mark as verified" is a change to someone's account, so it asks for the change
permission on email addresses, which no staff role has (participants/roles.py).
"""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin

from participants.admin.audit import AuditedAdmin

admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class GuardedEmailAddressAdmin(AuditedAdmin, EmailAddressAdmin):
    @admin.action(
        description=EmailAddressAdmin.make_verified.short_description, permissions=["change"]
    )
    def make_verified(self, request, queryset) -> None:
        super().make_verified(request, queryset)
