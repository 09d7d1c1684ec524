from django.contrib import admin

from sanjose.pages.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "title_en", "published_at"]
    list_filter = ["kind"]
    search_fields = ["version", "title_en", "title_es"]
    readonly_fields = ["created_at"]
    fieldsets = [
        (None, {"fields": ["kind", "version", "published_at"]}),
        ("English", {"fields": ["title_en", "text_en"]}),
        ("Español", {"fields": ["title_es", "text_es"]}),
        (None, {"fields": ["created_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A published version is what people agreed to: its words no longer change.
        if obj is not None and obj.published_at is not None:
            return [*self.readonly_fields, "kind", "version", "text_en", "text_es"]
        return self.readonly_fields
