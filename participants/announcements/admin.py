"""Announcements in the admin: write, then publish (optionally emailed) through the service."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participants.announcements import services
from participants.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title_en", "event", "audience", "send_email", "published_at", "emailed_count"]
    list_filter = ["event", "audience", "send_email"]
    list_select_related = ["event"]
    search_fields = ["title_en", "title_es"]
    autocomplete_fields = ["group"]
    readonly_fields = ["published_at", "emailed_count", "created_by", "created_at"]
    fields = [
        "event",
        "title_en",
        "title_es",
        "body_en",
        "body_es",
        "audience",
        "registration_type",
        "group",
        "send_email",
        *readonly_fields,
    ]
    actions = ["publish", "withdraw"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(
        description=_("Publish the selected announcements (and email them if chosen)"),
        permissions=["change"],
    )
    def publish(self, request, queryset):
        emails = sum(services.publish_announcement(announcement=a) for a in queryset)
        self.message_user(
            request,
            ngettext(
                "Published. %(count)d email queued.", "Published. %(count)d emails queued.", emails
            )
            % {"count": emails},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw the selected announcements"), permissions=["change"])
    def withdraw(self, request, queryset):
        for announcement in queryset:
            services.withdraw_announcement(announcement=announcement)
        self.message_user(request, _("Withdrawn from the pages."), messages.SUCCESS)
