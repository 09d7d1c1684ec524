from django.contrib import admin, messages
from django.template.defaultfilters import linebreaksbr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutboxMessage, SessionNotice

# Never on an admin page, nor searchable: the bodies (read through `text` below) and the
# signed unsubscribe link.
HIDDEN_FIELDS = ["body_text", "body_html", "unsubscribe_url"]
UNSUBSCRIBE_MASK = _("[unsubscribe link]")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status", "language", "is_secret"]
    search_fields = ["recipient", "subject", "object_key"]
    exclude = HIDDEN_FIELDS
    readonly_fields = [
        *(f.name for f in OutboxMessage._meta.fields if f.name not in HIDDEN_FIELDS),
        "text",
    ]
    date_hierarchy = "created_at"
    actions = ["resend"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("text"))
    def text(self, message: OutboxMessage) -> str:
        """The text part, unless it carries a secret or has been removed; a signed
        unsubscribe link in it is masked (it would let the reader unsubscribe someone)."""
        if message.is_secret:
            return _("Hidden: this message carries a one-time link or code for its recipient only.")
        if message.body_purged_at:
            return _("Removed after the retention period.")
        body = message.body_text
        if message.unsubscribe_url:
            body = body.replace(message.unsubscribe_url, str(UNSUBSCRIBE_MASK))
        return linebreaksbr(body, autoescape=True)

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
