from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "city", "country", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
