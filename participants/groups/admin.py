"""Groups in the admin, and the working-group assignment: propose, review, adjust, publish.

World Cafés in the admin: tables and hosts, then compute, review, publish, export.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from events.models import Event
from participants.desk.services import export_response
from participants.groups.selectors import cafe_plan_listing, cafe_plan_rows, group_list_listing
from participants.groups.services import grouping, worldcafe
from participants.jobs import services as job_services
from participants.models import (
    Group,
    Membership,
    Sector,
    Subregion,
    TopicPreference,
    WorldCafe,
    WorldCafeTable,
)
from participants.registration.forms import LANGUAGE_CHOICES
from participants.shared_admin import may_export_people, start_or_show


def _labelled(mix):
    """The summary with sector and sub-region names instead of their codes."""
    sectors, subregions = dict(Sector.choices), dict(Subregion.choices)
    mix.sectors = {str(sectors.get(k, k)): v for k, v in mix.sectors.items()}
    mix.subregions = {str(subregions.get(k, k)): v for k, v in mix.subregions.items()}
    mix.dominated_by = [str(sectors.get(k, k)) for k in mix.dominated_by]
    return mix


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["participant"]
    fields = ["participant", "role", "is_locked"]


class TopicPreferenceInline(admin.TabularInline):
    model = TopicPreference
    extra = 0
    autocomplete_fields = ["participant"]


class GroupForm(forms.ModelForm):
    working_languages = forms.MultipleChoiceField(
        label=gettext_lazy("Working languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("None ticked: the language most participants speak."),
    )
    interpreter_languages = forms.MultipleChoiceField(
        label=gettext_lazy("Interpreting languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Languages interpreted to and from the working languages. A member must share "
            "a language with the group or its interpreting."
        ),
    )

    class Meta:
        model = Group
        fields = [
            "event",
            "name_en",
            "name_es",
            "kind",
            "topic_en",
            "topic_es",
            "facilitator",
            "room",
            "capacity",
            "working_languages",
            "interpreter_languages",
        ]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    form = GroupForm
    list_display = ["name_en", "event", "kind", "capacity", "member_count", "is_published"]
    list_filter = ["event", "kind", "is_published"]
    list_select_related = ["event"]
    search_fields = ["name_en", "name_es", "topic_en", "topic_es"]
    autocomplete_fields = ["facilitator"]
    readonly_fields = ["is_published", "published_at"]
    inlines = [MembershipInline]
    change_list_template = "admin/participants/group/change_list.html"
    actions = ["open_assignment"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("memberships"))

    @admin.display(description=gettext_lazy("members"), ordering="members")
    def member_count(self, group: Group) -> int:
        return group.members

    @admin.action(
        description=gettext_lazy("Working-group assignment for these groups' event"),
        permissions=["view"],
    )
    def open_assignment(self, request, queryset):
        return HttpResponseRedirect(
            reverse("admin:participants_group_assignment", args=[queryset.first().event_id])
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "assignment_events": Event.objects.all()}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "assignment/<int:event_id>/",
                wrap(self.assignment_view),
                name="participants_group_assignment",
            ),
            path(
                "assignment/<int:event_id>/<str:step>/",
                wrap(require_POST(self.assignment_step)),
                name="participants_group_assignment_step",
            ),
            path(
                "export/<int:event_id>/groups.csv",
                wrap(self.export_view),
                name="participants_group_export",
            ),
            *super().get_urls(),
        ]

    def _event(self, request: HttpRequest, event_id: int, *, change: bool = False) -> Event:
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request):
            raise PermissionDenied
        return get_object_or_404(Event, pk=event_id)

    def assignment_view(self, request: HttpRequest, event_id: int) -> TemplateResponse:
        event = self._event(request, event_id)
        groups = list(
            Group.objects.filter(event=event, kind=Group.Kind.WORKING)
            .select_related("room", "facilitator")
            .order_by("pk")
        )
        members, is_draft = grouping.split_working_set(
            list(
                Membership.with_drafts.filter(group__in=groups)
                .select_related("participant")
                .order_by("participant__badge_name")
            )
        )
        by_group: dict[int, list[Membership]] = {g.pk: [] for g in groups}
        for membership in members:
            by_group[membership.group_id].append(membership)
        names = {m.participant_id: m.participant.badge_name for m in members}
        summary = grouping.working_group_summary(event=event, memberships=members)
        mixes = {mix.group_id: _labelled(mix) for mix in summary}
        for mix in mixes.values():
            mix.not_understanding_names = [names.get(pk, str(pk)) for pk in mix.not_understanding]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Working groups: %(event)s") % {"event": event.name},
            "opts": self.model._meta,
            "event": event,
            "rows": [(g, mixes.get(g.pk), by_group[g.pk]) for g in groups],
            "groups": groups,
            "is_draft": is_draft,
            "unassigned": grouping.assignable_participants(event=event)
            .exclude(pk__in=list(names))
            .count(),
        }
        return TemplateResponse(request, "admin/participants/group/assignment.html", context)

    def assignment_step(self, request: HttpRequest, event_id: int, step: str) -> HttpResponse:
        event = self._event(request, event_id, change=True)
        # Proposing and publishing (2,000 people, their emails) are long jobs on the bulk
        # queue: staff follow them on the job's page.
        jobs = {
            "propose": job_services.start_group_proposal,
            "publish": job_services.start_group_publication,
        }
        if step in jobs:
            return start_or_show(request, jobs[step], event=event)
        steps = {"move": self._move, "lock": self._lock}
        if step not in steps:
            raise PermissionDenied
        try:
            steps[step](request, event)
        except grouping.GroupingError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(reverse("admin:participants_group_assignment", args=[event.pk]))

    def _membership(self, request: HttpRequest, event: Event) -> Membership:
        return get_object_or_404(
            grouping.working_memberships(event=event).select_related("group", "participant"),
            pk=request.POST.get("membership"),
        )

    def _move(self, request: HttpRequest, event: Event) -> None:
        membership = self._membership(request, event)
        target = get_object_or_404(Group, pk=request.POST.get("group"), event=event)
        grouping.move_member(membership=membership, to_group=target)
        messages.success(
            request,
            _("%(person)s moved to %(group)s and locked there.")
            % {"person": membership.participant, "group": target.name},
        )

    def _lock(self, request: HttpRequest, event: Event) -> None:
        membership = self._membership(request, event)
        locked = request.POST.get("locked") == "1"
        grouping.lock_memberships(
            memberships=Membership.with_drafts.filter(pk=membership.pk), locked=locked
        )
        template = _("%(person)s locked in %(group)s.") if locked else _("%(person)s unlocked.")
        messages.success(
            request, template % {"person": membership.participant, "group": membership.group}
        )

    def has_export_attendees_permission(self, request) -> bool:
        return may_export_people(request)

    def export_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        event = self._event(request, event_id)
        if not self.has_export_attendees_permission(request):
            raise PermissionDenied
        return export_response(
            user=request.user,
            listing=group_list_listing(event_id=event.pk),
            file_format="csv",
            filename=f"groups-{event.slug}.csv",
        )


class WorldCafeTableInline(admin.TabularInline):
    model = WorldCafeTable
    extra = 0
    autocomplete_fields = ["host"]


@admin.register(WorldCafe)
class WorldCafeAdmin(admin.ModelAdmin):
    list_display = ["session", "rounds", "table_count", "published_at", "plan_links"]
    list_select_related = ["session"]
    readonly_fields = ["published_at"]
    inlines = [WorldCafeTableInline]
    actions = ["compute_plan", "publish_plan"]

    @admin.display(description=gettext_lazy("tables"))
    def table_count(self, cafe: WorldCafe) -> int:
        return cafe.tables.count()

    @admin.display(description=gettext_lazy("plan"))
    def plan_links(self, cafe: WorldCafe) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:participants_worldcafe_plan", args=[cafe.pk]),
            _("review"),
            reverse("admin:participants_worldcafe_export", args=[cafe.pk]),
            _("CSV"),
        )

    @admin.action(
        description=gettext_lazy("Compute the rotation (unpublishes the plan)"),
        permissions=["change"],
    )
    def compute_plan(self, request: HttpRequest, queryset) -> None:
        for cafe in queryset.select_related("session"):
            try:
                figures = worldcafe.compute_cafe_plan(cafe=cafe)
            except worldcafe.RotationError as error:
                messages.error(request, f"{cafe}: {error}")
                continue
            messages.success(
                request,
                _(
                    "%(cafe)s: %(guests)s people seated. Repeat encounters %(score)s "
                    "(no plan can go below %(bound)s). Review it, then publish."
                )
                % {
                    "cafe": cafe,
                    "guests": figures["guests"],
                    "score": figures["repeat_score"],
                    "bound": figures["lower_bound"],
                },
            )

    @admin.action(
        description=gettext_lazy("Publish the plan to participants"), permissions=["change"]
    )
    def publish_plan(self, request: HttpRequest, queryset) -> None:
        for cafe in queryset.select_related("session"):
            try:
                worldcafe.publish_cafe_plan(cafe=cafe)
            except worldcafe.RotationError as error:
                messages.error(request, f"{cafe}: {error}")
            else:
                messages.success(request, _("%(cafe)s: plan published.") % {"cafe": cafe})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:cafe_id>/plan/", wrap(self.plan_view), name="participants_worldcafe_plan"),
            path(
                "<int:cafe_id>/plan.csv",
                wrap(self.export_view),
                name="participants_worldcafe_export",
            ),
            *super().get_urls(),
        ]

    def _cafe(self, request: HttpRequest, cafe_id: int) -> WorldCafe:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(WorldCafe.objects.select_related("session"), pk=cafe_id)

    def plan_view(self, request: HttpRequest, cafe_id: int) -> TemplateResponse:
        cafe = self._cafe(request, cafe_id)
        rows = cafe_plan_rows(cafe=cafe)
        context = {
            **self.admin_site.each_context(request),
            "title": _("World Café plan: %(cafe)s") % {"cafe": cafe},
            "opts": self.model._meta,
            "cafe": cafe,
            "header": rows[0],
            "rows": rows[1:],
        }
        return TemplateResponse(request, "admin/participants/worldcafe/plan.html", context)

    def has_export_attendees_permission(self, request) -> bool:
        return may_export_people(request)

    def export_view(self, request: HttpRequest, cafe_id: int) -> HttpResponse:
        cafe = self._cafe(request, cafe_id)
        if not self.has_export_attendees_permission(request):
            raise PermissionDenied
        return export_response(
            user=request.user,
            listing=cafe_plan_listing(cafe=cafe),
            file_format="csv",
            filename=f"world-cafe-{cafe.pk}.csv",
        )
