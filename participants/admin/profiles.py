from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from participants.admin.accounts import erase_users, with_erase_label
from participants.admin.audit import AuditedAdmin
from participants.models import ConsentRecord, CountryRegion, Participant
from participants.services.privacy import erase_account
from participants.services.profiles import subregion_for


class ConsentRecordInline(admin.TabularInline):
    model = ConsentRecord
    fields = ["text", "version", "accepted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Participant)
class ParticipantAdmin(AuditedAdmin):
    list_display = ["badge_name", "email", "organisation", "sector", "country", "subregion"]
    list_filter = ["sector", "subregion", "preferred_language"]
    search_fields = ["badge_name", "organisation", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    exclude = ["photo"]
    inlines = [ConsentRecordInline]
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

    # Deleting a participant here erases the person (account included): a profile
    # deleted alone would leave their photo file, emails and invitations behind.
    def delete_model(self, request, obj) -> None:
        erase_account(user=obj.user, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        erase_users(request, [p.user for p in queryset.select_related("user")])

    def get_actions(self, request):
        return with_erase_label(super().get_actions(request))


@admin.register(CountryRegion)
class CountryRegionAdmin(admin.ModelAdmin):
    list_display = ["country", "subregion"]
    list_filter = ["subregion"]
