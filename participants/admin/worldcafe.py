from django.contrib import admin

from participants.models import WorldCafe, WorldCafeTable


class WorldCafeTableInline(admin.TabularInline):
    model = WorldCafeTable
    extra = 0
    autocomplete_fields = ["host"]


@admin.register(WorldCafe)
class WorldCafeAdmin(admin.ModelAdmin):
    list_display = ["session", "rounds", "published_at"]
    inlines = [WorldCafeTableInline]
