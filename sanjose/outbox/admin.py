from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutboxMessage, SessionNotice


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["recipient", "subject", "object_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    date_hierarchy = "created_at"
    actions = ["resend"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send the selected failed messages again"), permissions=["change"])
    def resend(self, request, queryset) -> None:
        resent = sum(services.resend_message(message=message) for message in queryset)
        skipped = queryset.count() - resent
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", resent)
            % {"count": resent},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was not failed and was left alone.",
                    "%(count)d messages were not failed and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(SessionNotice)
class SessionNoticeAdmin(admin.ModelAdmin):
    list_display = ["session", "notified_sequence", "seen_sequence", "seen_at"]
    list_select_related = ["session"]
    readonly_fields = ["session", "notified_sequence", "seen_sequence", "seen_at"]
