"""My digital badge at /me/badge/ (kept offline by the site's service worker, sanjose.pwa).

Staff pages under /staff/: the dashboard, exports and the check-in desk.

Each page needs a staff account with its own permission (participants/roles.py): an
anonymous visitor is sent to sign in, anyone else gets 403.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from events.models import Event
from participants.desk.forms import (
    AttendeeExportForm,
    CheckInForm,
    CheckInPickForm,
    CheckInSearchForm,
    EventFilterForm,
    GroupListForm,
    SessionListForm,
)
from participants.desk.selectors import exports as lists
from participants.desk.selectors.badge import badge_for
from participants.desk.selectors.checkin import registrations_matching
from participants.desk.selectors.dashboard import (
    check_in_chart,
    expected_chart,
    registration_charts,
)
from participants.desk.services import check_in, check_in_by_code, export_response
from participants.feedback.selectors import feedback_listing
from participants.shared_views import chosen_event, staff_permission_required
from sanjose.ratelimit import rate_limited


@login_required
@require_GET
@never_cache
def badge(request: HttpRequest) -> HttpResponse:
    return render(request, "participants/me/badge.html", {"badge": badge_for(request.user)})


@staff_permission_required("participants.view_dashboard")
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    event = chosen_event(request)
    context = {"event": event, "events": Event.objects.order_by("-start_date")}
    if event is not None:
        context["charts"] = registration_charts(event)
        context["check_ins"] = check_in_chart(event)
        context["expected"] = expected_chart(event)
    return render(request, "participants/staff/dashboard.html", context)


@dataclass(frozen=True)
class ReadyMade:
    """A list for the whole event (or one of its days) that organisers ask for."""

    title: str
    build: Callable[..., lists.Listing]
    by_day: bool = False

    def listing(self, form: EventFilterForm) -> lists.Listing:
        by_day = {"day": form.cleaned_data["day"]} if self.by_day else {}
        return self.build(event_id=form.event_id, **by_day)


READY_MADE = {
    "attendance": ReadyMade(_("Per-day attendance (check-ins)"), lists.attendance_listing, True),
    "catering": ReadyMade(_("Catering: dietary needs per day"), lists.catering_listing, True),
    "accessibility": ReadyMade(_("Accessibility needs"), lists.accessibility_listing),
    "badges": ReadyMade(_("Badge list"), lists.badge_listing),
    "world-cafe": ReadyMade(_("World Café plan"), lists.world_cafe_listing),
    "feedback": ReadyMade(_("Feedback answers"), feedback_listing),
}
LIST_FORMS = {"attendees": AttendeeExportForm, "session": SessionListForm, "group": GroupListForm}


def _exports_page(request: HttpRequest, filter_form: AttendeeExportForm, **context) -> HttpResponse:
    context = {
        "filter_form": filter_form,
        "event_form": EventFilterForm(
            auto_id="list_%s", initial={"event": Event.objects.current()}
        ),
        "session_form": SessionListForm(auto_id="session_%s"),
        "group_form": GroupListForm(auto_id="group_%s"),
        "ready_made": READY_MADE,
        **context,
    }
    status = 400 if context.get("invalid_form") else 200
    return render(request, "participants/staff/exports.html", context, status=status)


@staff_permission_required("participants.export_attendees")
@require_GET
def exports(request: HttpRequest) -> HttpResponse:
    """The exports page; with filters in the query, how many registrations they match."""
    filter_form = AttendeeExportForm(
        request.GET or None, initial={"event": Event.objects.current()}
    )
    matching = None
    if filter_form.is_bound and filter_form.is_valid():
        matching = lists.filtered_registrations(filter_form.filters()).count()
    return _exports_page(request, filter_form, matching=matching)


def _listing(kind: str, data: QueryDict) -> tuple[object, lists.Listing | None]:
    """The form for `kind` bound to the query, and its listing when the form is valid."""
    if kind in LIST_FORMS:
        form = LIST_FORMS[kind](data)
        return form, form.listing() if form.is_valid() else None
    if kind in READY_MADE:
        form = EventFilterForm(data)
        return form, READY_MADE[kind].listing(form) if form.is_valid() else None
    raise Http404


@staff_permission_required("participants.export_attendees")
@require_GET
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """One list as CSV (streamed) or XLSX; the filters are the query parameters."""
    form, listing = _listing(kind, request.GET)
    if listing is None:
        return _exports_page(request, AttendeeExportForm(), invalid_form=form)
    return export_response(user=request.user, listing=listing, file_format=fmt)


@staff_permission_required("participants.use_checkin_desk")
@require_http_methods(["GET", "POST"])
@rate_limited("checkin", methods=("GET", "POST"))
def checkin(request: HttpRequest) -> HttpResponse:
    """The desk: a scanned or typed badge code, or a name searched and picked."""
    result = None
    code_form = CheckInForm(request.POST if "code" in request.POST else None)
    if code_form.is_bound and code_form.is_valid():
        result = check_in_by_code(code=code_form.cleaned_data["code"], by=request.user)
        code_form = CheckInForm()
    elif "registration" in request.POST:
        picked = CheckInPickForm(request.POST)
        if not picked.is_valid():
            raise Http404
        result = check_in(registration=picked.cleaned_data["registration"], by=request.user)
    search_form = CheckInSearchForm(request.GET or None)
    matches = None
    if search_form.is_bound and search_form.is_valid():
        matches = registrations_matching(
            search_form.cleaned_data["q"], event=Event.objects.current()
        )
    context = {
        "code_form": code_form,
        "search_form": search_form,
        "matches": matches,
        "result": result,
    }
    return render(request, "participants/staff/checkin.html", context)
