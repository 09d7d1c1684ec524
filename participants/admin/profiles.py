from django.contrib import admin

from participants.models import CountryRegion, Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["badge_name", "organisation", "sector", "country", "subregion"]
    list_filter = ["sector", "subregion", "preferred_language"]
    search_fields = ["badge_name", "organisation", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["subregion", "created_at", "updated_at"]


@admin.register(CountryRegion)
class CountryRegionAdmin(admin.ModelAdmin):
    list_display = ["country", "subregion"]
    list_filter = ["subregion"]
