"""Registrations in the admin: staff decide (approve, waitlist, decline) through the same
services as everything else, with a reason; invitations are imported from CSV or XLSX
by a long job (participants/jobs/admin.py).
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import Event
from participants.audit import services as audit
from participants.desk import services as checkin
from participants.jobs import services as job_services
from participants.models import (
    AnonymousCount,
    ConsentRecord,
    CountryRegion,
    ExportLog,
    Invitation,
    Participant,
    Registration,
    RegistrationChange,
    RegistrationType,
)
from participants.privacy.services import erase_account
from participants.registration.services import invitations as invitation_services
from participants.registration.services import registration as services
from participants.registration.services.profiles import subregion_for
from participants.shared_admin import (
    REGISTRATION_EXPORT_ACTIONS,
    AuditedAdmin,
    erase_users,
    may_export_people,
    start_or_show,
    with_erase_label,
)
from sanjose import clock


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
    # The sub-region follows the country (participants.registration.services.profiles); consent is
    # what
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


class RegistrationTypeForm(forms.ModelForm):
    class Meta:
        model = RegistrationType
        fields = [
            "event",
            "slug",
            "name_en",
            "name_es",
            "description_en",
            "description_es",
            "is_public",
            "grants_participant_access",
            "capacity",
            "days",
            "opens_at",
            "closes_at",
            "position",
        ]

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        try:
            services.check_type_capacity(registration_type=self.instance, capacity=capacity)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["capacity"]) from None
        return capacity


@admin.register(RegistrationType)
class RegistrationTypeAdmin(admin.ModelAdmin):
    form = RegistrationTypeForm
    list_display = [
        "name_en",
        "event",
        "is_public",
        "grants_participant_access",
        "capacity",
        "approved_count",
    ]
    list_filter = ["event", "is_public", "grants_participant_access"]
    list_select_related = ["event"]
    readonly_fields = ["approved_count", "last_waitlist_position"]

    def save_model(self, request, obj, form, change):
        promoted = services.save_registration_type(registration_type=obj)
        if promoted:
            text = ngettext(
                "%d person moved up from the waiting list.",
                "%d people moved up from the waiting list.",
                len(promoted),
            )
            self.message_user(request, text % len(promoted), messages.SUCCESS)


class RegistrationChangeInline(admin.TabularInline):
    model = RegistrationChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_by", "reason", "at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CountryFilter(admin.SimpleListFilter):
    """Only the countries people registered from, not the world's 250."""

    title = gettext_lazy("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            Registration.objects.order_by()
            .values_list("participant__country", flat=True)
            .distinct()
        )
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(participant__country=self.value())
        return queryset


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (kept in the registration's history)"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        max_length=1000,
    )


DECISIONS = {
    "approve": (services.approve_registration, gettext_lazy("Approve")),
    "waitlist": (services.waitlist_registration, gettext_lazy("Put on the waiting list")),
    "decline": (services.decline_registration, gettext_lazy("Decline")),
}


@admin.register(Registration)
class RegistrationAdmin(AuditedAdmin):
    list_display = [
        "participant",
        "email",
        "organisation",
        "type",
        "status",
        "waitlist_position",
        "on_hold",
        "country",
        "created_at",
    ]
    list_filter = [
        "event",
        "type",
        "status",
        "on_hold",
        CountryFilter,
        "participant__sector",
        "participant__subregion",
    ]
    search_fields = [
        "participant__badge_name",
        "participant__user__email",
        "participant__organisation",
    ]
    list_select_related = ["participant__user", "type"]
    readonly_fields = [
        "participant",
        "event",
        "type",
        "status",
        "waitlist_position",
        "on_hold",
        "invitation",
        "created_at",
        "decided_at",
        "desk_code",
    ]
    fields = [*readonly_fields, "motivation"]
    inlines = [RegistrationChangeInline]
    actions = ["approve", "waitlist", "decline", "revoke_badges", *REGISTRATION_EXPORT_ACTIONS]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # people register themselves, or through an invitation

    def has_export_attendees_permission(self, request) -> bool:
        return may_export_people(request)

    @admin.display(description=gettext_lazy("email"), ordering="participant__user__email")
    def email(self, obj: Registration) -> str:
        return obj.participant.user.email

    @admin.display(description=gettext_lazy("organisation"), ordering="participant__organisation")
    def organisation(self, obj: Registration) -> str:
        return obj.participant.organisation

    @admin.display(description=gettext_lazy("country"), ordering="participant__country")
    def country(self, obj: Registration) -> str:
        return obj.participant.country.name

    @admin.action(
        description=gettext_lazy("Approve selected registrations"), permissions=["change"]
    )
    def approve(self, request, queryset):
        return self._decide(request, queryset, "approve")

    @admin.action(
        description=gettext_lazy("Put selected registrations on the waiting list"),
        permissions=["change"],
    )
    def waitlist(self, request, queryset):
        return self._decide(request, queryset, "waitlist")

    @admin.action(
        description=gettext_lazy("Decline selected registrations"), permissions=["change"]
    )
    def decline(self, request, queryset):
        return self._decide(request, queryset, "decline")

    @admin.action(
        description=gettext_lazy("Issue new badges (the old QR and desk codes stop working)"),
        permissions=["change"],
    )
    def revoke_badges(self, request, queryset):
        count = 0
        for registration in queryset:
            checkin.revoke_badge(registration=registration)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d new badge issued.", "%(count)d new badges issued.", count)
            % {"count": count},
        )

    def _decide(self, request: HttpRequest, queryset: QuerySet, decision: str):
        """First show the chosen registrations and ask for a reason; then apply."""
        service, label = DECISIONS[decision]
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            chosen = queryset.select_related("participant", "type")
            return TemplateResponse(
                request,
                "admin/confirm_with_reason.html",
                {
                    **self.admin_site.each_context(request),
                    "title": label,
                    "action": decision,
                    "form": form,
                    "items": [
                        (r.pk, f"{r.participant} · {r.type} · {r.get_status_display()}")
                        for r in chosen
                    ],
                    "note": gettext(
                        "Each person is emailed in their own language; the reason stays in "
                        "the history and is not sent."
                    ),
                    "changelist_url": reverse("admin:participants_registration_changelist"),
                    "opts": self.model._meta,
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                },
            )
        decided, refused = [], []
        for registration in queryset.select_related("participant", "type"):
            try:
                service(
                    registration=registration, by=request.user, reason=form.cleaned_data["reason"]
                )
                decided.append(registration)
            except services.RegistrationError as error:
                refused.append(f"{registration.participant}: {error}")
        audit.record_admin_changes(
            user=request.user, instances=decided, action=ExportLog.Action.CHANGE, fields=["status"]
        )
        done = len(decided)
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(label)s: %(count)d registration done.",
                    "%(label)s: %(count)d registrations done.",
                    done,
                )
                % {"label": label, "count": done},
            )
        for problem in refused:
            self.message_user(request, problem, messages.WARNING)
        return None


class InvitationImportForm(forms.Form):
    event = forms.ModelChoiceField(label=gettext_lazy("Event"), queryset=Event.objects.all())
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy(
            "First line: name, email, organisation, type (the type's slug or name)."
        ),
    )
    valid_days = forms.IntegerField(
        label=gettext_lazy("Links valid for (days)"), min_value=1, max_value=365, initial=30
    )


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ["name", "email", "organisation", "event", "type", "expires_at", "used_at"]
    list_filter = ["event", "type", ("used_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["event", "type"]
    # The token is the one-time link: whoever reads it is pre-approved, so staff never see it.
    exclude = ["token"]
    readonly_fields = ["created_by", "created_at", "used_at"]
    actions = ["resend"]
    change_list_template = "admin/participants/invitation/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="participants_invitation_import",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            invitation_services.add_invitations(invitations=[obj], by=request.user)

    @admin.action(
        description=gettext_lazy("Send the invitation email again"), permissions=["change"]
    )
    def resend(self, request, queryset):
        for invitation in queryset.filter(used_at__isnull=True).select_related("event", "type"):
            invitation_services.send_invitation(
                invitation=invitation, occasion=clock.now().isoformat()
            )
        self.message_user(request, gettext("Invitations sent again."))

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """The file is read here (a file that cannot be read is refused on the form); its
        lines are imported by a worker of the `bulk` queue, whose page staff then watch."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = InvitationImportForm(
            request.POST or None,
            request.FILES or None,
            initial={"event": Event.objects.current()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                rows = invitation_services.read_rows(upload=form.cleaned_data["file"])
            except invitation_services.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return start_or_show(
                    request,
                    job_services.start_invitation_import,
                    event=form.cleaned_data["event"],
                    rows=rows,
                    expires_at=clock.now() + timedelta(days=form.cleaned_data["valid_days"]),
                )
        return TemplateResponse(
            request,
            "admin/participants/invitation/import.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Import invitations"),
                "form": form,
                "opts": self.model._meta,
                "changelist_url": reverse("admin:participants_invitation_changelist"),
            },
        )


@admin.register(AnonymousCount)
class AnonymousCountAdmin(admin.ModelAdmin):
    """What is left of erased registrations: read only, for the organisers' reports."""

    list_display = [
        "event",
        "registration_type",
        "status",
        "sector",
        "subregion",
        "attended",
        "count",
    ]
    list_filter = ["event", "status", "attended"]
    list_select_related = ["event", "registration_type"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
