from django.contrib import admin

from participants.models import Group, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["participant"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "kind", "capacity", "is_published"]
    list_filter = ["event", "kind", "is_published"]
    search_fields = ["name"]
    inlines = [MembershipInline]
