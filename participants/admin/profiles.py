from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from participants.admin.audit import AuditedAdmin
from participants.models import CountryRegion, Participant
from participants.services.profiles import subregion_for


@admin.register(Participant)
class ParticipantAdmin(AuditedAdmin):
    list_display = ["badge_name", "email", "organisation", "sector", "country", "subregion"]
    list_filter = ["sector", "subregion", "preferred_language"]
    search_fields = ["badge_name", "organisation", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    exclude = ["photo"]
    # The sub-region follows the country (participants.services.profiles); consent is what
    # the person agreed to, when, and to which version: never edited by staff.
    readonly_fields = [
        "photo_link",
        "subregion",
        "privacy_consent_at",
        "privacy_version",
        "conduct_consent_at",
        "conduct_version",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, obj: Participant) -> str:
        return obj.user.email

    @admin.display(description=_("photo"))
    def photo_link(self, obj: Participant) -> str:
        if not obj.photo:
            return "–"
        url = reverse("participants:photo", args=[obj.pk])
        return format_html('<img src="{}" alt="" height="120">', url)

    def save_model(self, request, obj, form, change):
        obj.subregion = subregion_for(obj.country)
        super().save_model(request, obj, form, change)


@admin.register(CountryRegion)
class CountryRegionAdmin(admin.ModelAdmin):
    list_display = ["country", "subregion"]
    list_filter = ["subregion"]
