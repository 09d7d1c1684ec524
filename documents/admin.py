from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Category, Document, DocumentFile
from .uploads import check_upload


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_es", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name_en", "name_es"]


class DocumentFileForm(forms.ModelForm):
    """One language version. The upload is checked by content here, so a refused file
    shows its reason next to the field; the service stores it."""

    upload = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("PDF, Word, PowerPoint, Excel, OpenDocument, or a PNG, JPEG, GIF, WebP image."),
    )

    class Meta:
        model = DocumentFile
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A stored file is replaced by deleting this row and adding a new one.
            self.fields["language"].disabled = True
            self.fields["upload"].disabled = True
            self.fields["upload"].help_text = _("To replace it, delete this row and add another.")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if self.instance.pk or upload is None:
            return upload
        check_upload(upload=upload, file_name=upload.name)
        return upload

    def clean(self):
        cleaned = super().clean()
        new = not self.instance.pk
        if new and self.has_changed() and not cleaned.get("upload") and not self.errors:
            self.add_error("upload", _("Choose a file for this language."))
        return cleaned


class DocumentAdminForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["event", "access", "groups"]  # the admin's fieldsets add the rest

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        services.check_audience(
            access=cleaned.get("access"),
            event_id=event.pk if event else None,
            groups=list(cleaned.get("groups") or []),
        )
        return cleaned


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    form = DocumentFileForm
    extra = 2
    max_num = 2
    fields = ["language", "upload", "original_name", "size", "content_type", "download_count"]
    readonly_fields = ["original_name", "size", "content_type", "download_count"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentAdminForm
    list_display = [
        "title_en",
        "category",
        "access",
        "is_published",
        "published_at",
        "languages",
        "downloads",
    ]
    list_filter = ["event", "is_published", "access", "category", "files__language"]
    list_select_related = ["category"]
    search_fields = ["title_en", "title_es", "description_en", "description_es"]
    date_hierarchy = "published_at"
    filter_horizontal = ["sessions", "groups"]
    readonly_fields = ["uploaded_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["event", "category", "title_en", "title_es"]}),
        (_("Description"), {"fields": ["description_en", "description_es"]}),
        (
            _("Who may see it"),
            {
                "fields": ["access", "groups"],
                "description": _("Named groups: only members of the groups chosen here."),
            },
        ),
        (_("Sessions"), {"fields": ["sessions"]}),
        (_("Publication"), {"fields": ["is_published", "published_at"]}),
        (_("Record"), {"fields": ["uploaded_by", "created_at", "updated_at"]}),
    ]
    inlines = [DocumentFileInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        documents = super().get_queryset(request)
        # Staff-only documents follow their permission here too, as on the site.
        if not request.user.has_perm("documents.view_staff_documents"):
            documents = documents.exclude(access=Document.Access.STAFF)
        return documents.annotate(
            file_count=Count("files", distinct=True),
            download_total=Sum("files__download_count"),
        )

    @admin.display(description=_("files"), ordering="file_count")
    def languages(self, obj: Document) -> int:
        return obj.file_count

    @admin.display(description=_("downloads"), ordering="download_total")
    def downloads(self, obj: Document) -> int:
        return obj.download_total or 0

    def save_model(self, request, obj, form, change):
        services.save_document(document=obj, saved_by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not DocumentFile:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills deleted_objects; rows are written by the services
        for document_file in formset.deleted_objects:
            services.remove_document_file(document_file=document_file)
        for file_form in formset.extra_forms:
            upload = file_form.cleaned_data.get("upload") if file_form.has_changed() else None
            if upload is None or file_form.cleaned_data.get("DELETE"):
                continue
            try:
                services.add_document_file(
                    document=form.instance,
                    language=file_form.cleaned_data["language"],
                    upload=upload,
                    uploaded_by=request.user,
                )
            except ValidationError as error:  # e.g. a language added twice in one save
                messages.error(request, "; ".join(error.messages))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_text(document_id=form.instance.pk)

    @admin.action(description=_("Publish the selected documents"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.publish_documents(documents=queryset)
        self.message_user(
            request,
            ngettext("%(count)d document published.", "%(count)d documents published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected documents"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = services.unpublish_documents(documents=queryset)
        self.message_user(
            request,
            ngettext("%(count)d document unpublished.", "%(count)d documents unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )
