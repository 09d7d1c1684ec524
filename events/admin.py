"""Staff build the agenda here. Every save goes through events.services, so the admin
validates like everything else, bumps `Session.sequence` on a seen change and drops the
cached agenda."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Event, EventDay, Room, Session, SessionSpeaker, Speaker


class SessionForm(forms.ModelForm):
    """Refuses an end before the start and a room booked twice, next to the field."""

    class Meta:
        model = Session
        fields = [
            "event",
            "day",
            "starts_at",
            "ends_at",
            "room",
            "kind",
            "title_en",
            "title_es",
            "description_en",
            "description_es",
            "audience",
            "groups",
            "capacity",
            "signup_required",
            "is_cancelled",
        ]

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("day") or getattr(self.instance, "day", None)
        event = cleaned.get("event") or (day.event if day else None)
        room = cleaned.get("room")
        if day is not None and event is not None and day.event_id != event.pk:
            self.add_error("day", _("This day belongs to another event."))
        if room is not None and event is not None and room.event_id != event.pk:
            self.add_error("room", _("This room belongs to another event."))
        try:
            services.validate_session(
                starts_at=cleaned.get("starts_at"),
                ends_at=cleaned.get("ends_at"),
                room=room,
                session_pk=self.instance.pk,
                is_cancelled=bool(cleaned.get("is_cancelled")),
                event_id=event.pk if event is not None else None,
                kind=cleaned.get("kind"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            taken = Session.objects.filter(pk=self.instance.pk).values_list(
                "signup_count", flat=True
            )
            if taken and capacity < taken[0]:
                self.add_error(
                    "capacity",
                    _("%(count)d people already have a seat: the capacity cannot be lower.")
                    % {"count": taken[0]},
                )
        return cleaned


class DaySessionFormSet(BaseInlineFormSet):
    """Also refuses two new or changed rows of the same day that book one room at once."""

    def clean(self):
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and not form.cleaned_data.get("is_cancelled")
            and form.cleaned_data.get("room")
            and form.cleaned_data.get("starts_at")
            and form.cleaned_data.get("ends_at")
        ]
        for index, first in enumerate(rows):
            for second in rows[index + 1 :]:
                if (
                    first["room"] == second["room"]
                    and first["starts_at"] < second["ends_at"]
                    and second["starts_at"] < first["ends_at"]
                ):
                    raise ValidationError(
                        _("“%(a)s” and “%(b)s” both book %(room)s at the same time.")
                        % {"a": first["title_en"], "b": second["title_en"], "room": first["room"]}
                    )


class SessionInline(admin.TabularInline):
    model = Session
    form = SessionForm
    formset = DaySessionFormSet
    fk_name = "day"
    extra = 0
    fields = ["starts_at", "ends_at", "room", "title_en", "kind", "audience", "is_cancelled"]
    show_change_link = True
    ordering = ["starts_at", "room__position"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["room"].queryset = Room.objects.filter(event=obj.event_id)
        return formset


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 1
    autocomplete_fields = ["speaker"]
    fields = ["speaker", "role", "position"]


class AgendaAdmin(admin.ModelAdmin):
    """Deletes through the services, which drop the cached agenda; each admin below saves
    through its own service too."""

    def delete_model(self, request, obj):
        services.delete_agenda_object(obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_agenda_object(obj=obj)


@admin.register(Event)
class EventAdmin(AgendaAdmin):
    list_display = ["name_en", "start_date", "end_date", "city", "country", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["name_en", "name_es", "city"]
    prepopulated_fields = {"slug": ["name_en"]}

    def save_model(self, request, obj, form, change):
        services.save_event(event=obj)


@admin.register(EventDay)
class EventDayAdmin(AgendaAdmin):
    list_display = ["date", "title_en", "event", "is_public"]
    list_filter = ["event", "is_public"]
    list_select_related = ["event"]
    search_fields = ["title_en", "title_es"]
    inlines = [SessionInline]

    def save_model(self, request, obj, form, change):
        services.save_day(day=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Session:
            return super().save_formset(request, form, formset, change)
        sessions = formset.save(commit=False)
        for session in formset.deleted_objects:
            services.delete_session(session=session)
        for session in sessions:
            session.event_id = form.instance.event_id
            services.save_session(session=session)
        formset.save_m2m()


@admin.register(Room)
class RoomAdmin(AgendaAdmin):
    list_display = ["name", "event", "capacity", "directions_en", "position"]
    list_editable = ["position"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_room(room=obj)


@admin.register(Speaker)
class SpeakerAdmin(AgendaAdmin):
    list_display = ["name", "organisation", "event", "photo_consent"]
    list_filter = ["event", "photo_consent"]
    list_select_related = ["event"]
    search_fields = ["name", "organisation"]
    autocomplete_fields = ["participant"]

    def save_model(self, request, obj, form, change):
        services.save_speaker(speaker=obj)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    form = SessionForm
    list_display = [
        "title_en",
        "starts_at",
        "ends_at",
        "room",
        "kind",
        "audience",
        "is_cancelled",
        "seats",
        "sequence",
    ]
    list_filter = ["event", "day", "kind", "room", "audience", "signup_required", "is_cancelled"]
    list_select_related = ["room", "day"]
    search_fields = ["title_en", "title_es"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["groups"]
    readonly_fields = ["sequence", "created_at", "updated_at", "signup_list"]
    inlines = [SessionSpeakerInline]
    actions = ["cancel_sessions"]
    fieldsets = [
        (None, {"fields": ["event", "day", "starts_at", "ends_at", "room", "kind"]}),
        (_("Content"), {"fields": ["title_en", "title_es", "description_en", "description_es"]}),
        (_("Who may see it"), {"fields": ["audience", "groups"]}),
        (
            _("Places"),
            {"fields": ["capacity", "signup_required", "signup_list", "is_cancelled"]},
        ),
        (_("Changes"), {"fields": ["sequence", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_session(session=obj)

    @admin.display(description=_("seats taken"))
    def seats(self, session: Session) -> str:
        if not session.signup_required:
            return "–"
        return f"{session.signup_count} / {session.capacity or '∞'}"

    @admin.display(description=_("sign-up list"))
    def signup_list(self, session: Session) -> str:
        """Links to the session's list (seats, then the waiting list) through the staff
        export pipeline, which logs every download."""
        if session.pk is None or not session.signup_required:
            return "–"
        query = f"?session={session.pk}"
        return format_html(
            '{} / {}: <a href="{}">CSV</a> · <a href="{}">Excel</a> · <a href="{}">{}</a>',
            session.signup_count,
            session.capacity or "∞",
            reverse("participants:export", args=["session", "csv"]) + query,
            reverse("participants:export", args=["session", "xlsx"]) + query,
            reverse("admin:participants_sessionsignup_changelist")
            + f"?session__id__exact={session.pk}",
            _("see the list"),
        )

    def delete_model(self, request, obj):
        services.delete_session(session=obj)

    def delete_queryset(self, request, queryset):
        for session in queryset:
            services.delete_session(session=session)

    @admin.action(description=_("Cancel the selected sessions"), permissions=["change"])
    def cancel_sessions(self, request, queryset):
        cancelled = 0
        for session in queryset.filter(is_cancelled=False):
            services.cancel_session(session=session)
            cancelled += 1
        self.message_user(
            request,
            ngettext("%(count)d session cancelled.", "%(count)d sessions cancelled.", cancelled)
            % {"count": cancelled},
            messages.SUCCESS,
        )
