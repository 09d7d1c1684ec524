"""Check-ins in the admin."""

from django.contrib import admin

from participants.models import CheckIn


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["registration", "day", "checked_in_at", "checked_in_by"]
    list_filter = ["day"]
    list_select_related = ["registration__participant", "checked_in_by"]
