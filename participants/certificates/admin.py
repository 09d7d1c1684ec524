"""Certificates and letters in the admin: their templates (checked placeholders, a PDF
preview), the issued ones (revoke, issue again, download) and the letter requests
(issue or decline, with a reason shown to the person). Every action calls the services."""

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.audit import services as audit
from participants.certificates import services
from participants.certificates.pdf import PrintedDocument, render_pdf
from participants.certificates.selectors import DATE_FORMATS, certificate_with_details
from participants.certificates.selectors import printed_document as printed
from participants.certificates.texts import (
    DEFAULT_TEXTS,
    PLACEHOLDERS,
    check_template_text,
    fill,
    placeholder_list,
)
from participants.models import (
    Certificate,
    CertificateKind,
    CertificateTemplate,
    ExportLog,
    LetterRequest,
)
from participants.shared_admin import AuditedAdmin
from sanjose.i18n import CONTENT_LANGUAGES

TEXT_FIELDS = ["title_en", "title_es", "body_en", "body_es", "signature_en", "signature_es"]


class CertificateTemplateForm(forms.ModelForm):
    class Meta:
        model = CertificateTemplate
        fields = ["event", "kind", *TEXT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in PLACEHOLDERS:
            for name in TEXT_FIELDS:
                try:
                    check_template_text(text=cleaned.get(name) or "", kind=kind)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


def _placeholder_help() -> str:
    return " · ".join(
        _("%(kind)s: %(placeholders)s")
        % {"kind": CertificateKind(kind).label, "placeholders": placeholder_list(kind)}
        for kind in PLACEHOLDERS
    )


# Invented values for the preview, with the accents names carry.
SAMPLE = {
    "name": "Ana Muñoz Solís",
    "organisation": "Red de Protección de la Niñez",
    "nationality": "Costa Rica",
    "registration_type": "San José Dialogue",
    "number_of_days": "3 days",
}


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):
    form = CertificateTemplateForm
    list_display = ["kind", "event", "updated_at", "preview_links"]
    list_filter = ["event", "kind"]
    list_select_related = ["event"]
    readonly_fields = ["updated_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["body_en"].help_text = _(
            "Paragraphs separated by an empty line. Placeholders: %(list)s"
        ) % {"list": _placeholder_help()}
        return form

    def get_changeform_initial_data(self, request):
        """A new template starts from the built-in text of its kind (?kind=…)."""
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind") or CertificateKind.ATTENDANCE
        if kind in DEFAULT_TEXTS:
            initial["kind"] = kind
            for language in CONTENT_LANGUAGES:
                for part, text in DEFAULT_TEXTS[kind][language].items():
                    initial.setdefault(f"{part}_{language}", text)
        return initial

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path(
                "<int:pk>/preview/<str:language>/",
                preview,
                name="participants_certificatetemplate_preview",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("preview"))
    def preview_links(self, obj: CertificateTemplate) -> str:
        links = [
            format_html(
                '<a href="{}">PDF ({})</a>',
                reverse("admin:participants_certificatetemplate_preview", args=[obj.pk, lang]),
                lang,
            )
            for lang in CONTENT_LANGUAGES
        ]
        return format_html(" · ".join(["{}"] * len(links)), *links)

    def preview_view(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        """The template as a PDF with invented details (nobody's data)."""
        template = get_object_or_404(CertificateTemplate.objects.select_related("event"), pk=pk)
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        if language not in CONTENT_LANGUAGES:
            raise Http404
        return _pdf(_preview_document(template, language), f"preview-{template.kind}-{language}")


def _preview_document(template: CertificateTemplate, language: str) -> PrintedDocument:
    with translation.override(language):
        event = template.event
        day = date_format(event.start_date, DATE_FORMATS[language])
        values = {
            **SAMPLE,
            "event": event.name,
            "dates": day,
            "venue": ", ".join(p for p in (event.venue, event.city) if p),
            "days_attended": day,
            "issue_date": date_format(date.today(), DATE_FORMATS[language]),
        }

        def text(part: str) -> str:
            return getattr(template, f"{part}_{language}") or getattr(template, f"{part}_en")

        return PrintedDocument(
            landscape=template.kind == CertificateKind.ATTENDANCE,
            language=language,
            event_name=event.name,
            title=fill(text("title"), values),
            paragraphs=[fill(p.strip(), values) for p in text("body").split("\n\n") if p.strip()],
            signature=fill(text("signature"), values),
            code="PREV-IEWP-REVI-EWPR",
            code_label=_("Verification code"),
            verify_label=_("Check it at"),
            verify_url=settings.SITE_URL + reverse("participants:verify"),
            highlight=SAMPLE["name"],
        )


def _pdf(document: PrintedDocument, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin.register(Certificate)
class CertificateAdmin(AuditedAdmin):
    """Issued certificates and letters: revoke one (its code becomes "not valid"), or
    issue it again under a new code (a lost or leaked one)."""

    list_display = ["kind", "person", "event", "issued_at", "revoked_at", "pdf_links"]
    list_filter = ["kind", "registration__event", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["registration__participant", "registration__event"]
    search_fields = ["registration__participant__badge_name", "serial"]
    readonly_fields = ["registration", "kind", "serial", "issued_at", "revoked_at"]
    actions = ["revoke", "reissue"]

    def has_add_permission(self, request):
        return False  # issued by the services only

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoke instead: the record stays
        return actions

    @admin.display(description=gettext_lazy("person"))
    def person(self, obj: Certificate) -> str:
        return str(obj.registration.participant)

    @admin.display(description=gettext_lazy("event"))
    def event(self, obj: Certificate) -> str:
        return str(obj.registration.event)

    @admin.display(description=gettext_lazy("PDF"))
    def pdf_links(self, obj: Certificate) -> str:
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:participants_certificate_pdf", args=[obj.pk, lang]),
                lang,
            )
            for lang in CONTENT_LANGUAGES
        ]
        return format_html(" · ".join(["{}"] * len(links)), *links)

    def get_urls(self):
        view = self.admin_site.admin_view(self.pdf_view)
        return [
            path("<int:pk>/pdf/<str:language>/", view, name="participants_certificate_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        certificate = get_object_or_404(Certificate, pk=pk)
        if not self.has_view_permission(request, certificate):
            raise PermissionDenied
        if language not in CONTENT_LANGUAGES or certificate.revoked_at is not None:
            raise Http404
        document = printed(certificate=certificate_with_details(pk), language=language)
        return _pdf(document, f"{certificate.kind}-{certificate.pk}-{language}")

    @admin.action(
        description=gettext_lazy("Revoke the selected (their codes become not valid)"),
        permissions=["change"],
    )
    def revoke(self, request, queryset):
        done = sum(services.revoke_certificate(certificate=c) for c in queryset)
        _audit(request, queryset, "revoked_at")
        self.message_user(request, _("%(count)d revoked.") % {"count": done}, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Issue the selected again under a new code"),
        permissions=["change"],
    )
    def reissue(self, request, queryset):
        for certificate in queryset:
            services.reissue_certificate(certificate=certificate)
        _audit(request, queryset, "serial")
        self.message_user(
            request,
            _("%(count)d issued again; their old codes are no longer valid.")
            % {"count": queryset.count()},
            messages.SUCCESS,
        )


def _audit(request: HttpRequest, queryset: QuerySet, field: str) -> None:
    """An admin action changed personal records: the audit log names who and which field."""
    audit.record_admin_changes(
        user=request.user,
        instances=list(queryset),
        action=ExportLog.Action.CHANGE,
        fields=[field],
    )


class DeclineLetterForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the person)"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        max_length=1000,
    )


@admin.register(LetterRequest)
class LetterRequestAdmin(AuditedAdmin):
    """Requests for an invitation letter. Requests of the full Dialogue's types are
    issued at once; the others wait here for "Issue" or "Decline"."""

    list_display = ["person", "event", "type", "status", "nationality", "created_at"]
    list_filter = ["status", "registration__event", "registration__type"]
    list_select_related = [
        "registration__participant",
        "registration__event",
        "registration__type",
    ]
    search_fields = ["registration__participant__badge_name", "passport_name"]
    readonly_fields = [
        "registration",
        "passport_name",
        "nationality",
        "status",
        "decline_reason",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    actions = ["issue", "decline"]

    def has_add_permission(self, request):
        return False  # people ask on /me/letter/

    @admin.display(description=gettext_lazy("person"))
    def person(self, obj: LetterRequest) -> str:
        return str(obj.registration.participant)

    @admin.display(description=gettext_lazy("event"))
    def event(self, obj: LetterRequest) -> str:
        return str(obj.registration.event)

    @admin.display(description=gettext_lazy("registration type"))
    def type(self, obj: LetterRequest) -> str:
        return str(obj.registration.type)

    @admin.action(description=gettext_lazy("Issue the selected letters"), permissions=["change"])
    def issue(self, request, queryset: QuerySet):
        done, refused = 0, []
        for letter_request in queryset.select_related("registration__participant"):
            try:
                services.approve_letter(letter_request=letter_request, by=request.user)
                done += 1
            except services.CertificateError as error:
                refused.append(f"{letter_request.registration.participant}: {error}")
        _audit(request, queryset, "status")
        if done:
            self.message_user(request, _("%(count)d letters issued.") % {"count": done})
        for problem in refused:
            self.message_user(request, problem, messages.WARNING)

    @admin.action(description=gettext_lazy("Decline the selected requests"), permissions=["change"])
    def decline(self, request, queryset: QuerySet):
        form = DeclineLetterForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            chosen = queryset.select_related("registration__participant")
            return TemplateResponse(
                request,
                "admin/confirm_with_reason.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Decline the selected requests"),
                    "action": "decline",
                    "form": form,
                    "items": [
                        (r.pk, f"{r.registration.participant} · {r.get_status_display()}")
                        for r in chosen
                    ],
                    "note": _(
                        "A letter already issued is withdrawn: its code will no longer be valid."
                    ),
                    "changelist_url": reverse("admin:participants_letterrequest_changelist"),
                    "opts": self.model._meta,
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                },
            )
        for letter_request in queryset.select_related("registration"):
            services.decline_letter(
                letter_request=letter_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        _audit(request, queryset, "status")
        self.message_user(request, _("%(count)d declined.") % {"count": queryset.count()})
        return None
