"""World Cafés in the admin: tables and hosts, then compute, review, publish, export."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import WorldCafe, WorldCafeTable
from participants.selectors.groups import cafe_plan_listing, cafe_plan_rows
from participants.services import worldcafe
from participants.services.exports import export_response

from .attendance import may_export_people


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
