"""Staff pages under /staff/: the dashboard, exports and the check-in desk.

Staff only: an anonymous visitor is sent to sign in, anyone else gets 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from events.models import Event
from events.selectors import current_event
from sanjose import clock

from ..forms.checkin import CheckInForm, CheckInSearchForm
from ..forms.exports import AttendeeExportForm, EventFilterForm, GroupListForm, SessionListForm
from ..models import Registration
from ..selectors import exports as lists
from ..selectors.checkin import registrations_matching
from ..selectors.dashboard import check_in_chart, registration_charts
from ..services.checkin import check_in, check_in_by_code
from ..services.exports import csv_lines, log_export, xlsx_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _chosen_event(request: HttpRequest) -> Event | None:
    event_id = request.GET.get("event", "")
    if event_id.isdigit():
        return get_object_or_404(Event, pk=event_id)
    return current_event()


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    event = _chosen_event(request)
    context = {"event": event, "events": Event.objects.order_by("-start_date")}
    if event is not None:
        context["charts"] = registration_charts(event)
        context["check_ins"] = check_in_chart(event)
    return render(request, "participants/staff/dashboard.html", context)


def _list_forms(data: QueryDict | None) -> dict:
    return {
        "filter_form": AttendeeExportForm(data),
        "event_form": EventFilterForm(data, auto_id="list_%s"),
        "session_form": SessionListForm(auto_id="session_%s"),
        "group_form": GroupListForm(auto_id="group_%s"),
    }


@dataclass(frozen=True)
class ReadyMade:
    title: str
    build: Callable[..., lists.Listing]
    by_day: bool = False


READY_MADE = {
    "attendance": ReadyMade(_("Per-day attendance (check-ins)"), lists.attendance_listing, True),
    "catering": ReadyMade(_("Catering: dietary needs per day"), lists.catering_listing, True),
    "accessibility": ReadyMade(_("Accessibility needs"), lists.accessibility_listing),
    "badges": ReadyMade(_("Badge list"), lists.badge_listing),
    "world-cafe": ReadyMade(_("World Café plan"), lists.world_cafe_listing),
}


@staff_required
@require_GET
def exports(request: HttpRequest) -> HttpResponse:
    forms = _list_forms(request.GET or None)
    filter_form = forms["filter_form"]
    matching = None
    if filter_form.is_bound and filter_form.is_valid():
        matching = lists.filtered_registrations(filter_form.filters()).count()
    elif not filter_form.is_bound:
        filter_form = AttendeeExportForm(initial={"event": current_event()})
        forms["filter_form"] = filter_form
    context = {**forms, "matching": matching, "ready_made": READY_MADE}
    return render(request, "participants/staff/exports.html", context)


def _listing(kind: str, data: QueryDict) -> tuple[object, lists.Listing | None]:
    """The form for `kind` bound to the query, and its listing when the form is valid."""
    if kind == "attendees":
        form = AttendeeExportForm(data)

        def build(cleaned: dict) -> lists.Listing:
            return lists.attendee_listing(filters=form.filters(), columns=cleaned["columns"])
    elif kind == "session":
        form = SessionListForm(data)

        def build(cleaned: dict) -> lists.Listing:
            return lists.session_listing(session=cleaned["session"])
    elif kind == "group":
        form = GroupListForm(data)

        def build(cleaned: dict) -> lists.Listing:
            return lists.group_listing(group_id=cleaned["group"].pk)
    elif kind in READY_MADE:
        form = EventFilterForm(data)

        def build(cleaned: dict) -> lists.Listing:
            ready_made = READY_MADE[kind]
            by_day = {"day": cleaned["day"]} if ready_made.by_day else {}
            return ready_made.build(event_id=form.event_id, **by_day)
    else:
        raise Http404
    return form, build(form.cleaned_data) if form.is_valid() else None


@staff_required
@require_GET
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """One list as CSV (streamed) or XLSX; the filters are the query parameters."""
    form, listing = _listing(kind, request.GET)
    if listing is None:
        context = {**_list_forms(None), "ready_made": READY_MADE, "invalid_form": form}
        return render(request, "participants/staff/exports.html", context, status=400)
    log_export(user=request.user, listing=listing, file_format=fmt, row_count=listing.count())
    return listing_response(listing, fmt)


def listing_response(listing: lists.Listing, fmt: str) -> HttpResponse:
    """The file for a listing: CSV streamed row by row, or an XLSX written to a temp file."""
    filename = f"{listing.kind}-{clock.now():%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(headers=listing.headers, rows=listing.rows()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        file = xlsx_file(headers=listing.headers, rows=listing.rows(), title=listing.kind)
        response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    """The desk: a scanned or typed badge code, or a name searched and picked."""
    result = None
    code_form = CheckInForm(request.POST if "code" in request.POST else None)
    if code_form.is_bound and code_form.is_valid():
        result = check_in_by_code(code=code_form.cleaned_data["code"], by=request.user)
        code_form = CheckInForm()
    elif "registration" in request.POST:
        registration = get_object_or_404(
            Registration.objects.select_related("participant", "type", "event"),
            pk=request.POST["registration"],
        )
        result = check_in(registration=registration, by=request.user)
    search_form = CheckInSearchForm(request.GET or None)
    matches = None
    if search_form.is_bound and search_form.is_valid():
        matches = registrations_matching(search_form.cleaned_data["q"], event=current_event())
    context = {
        "code_form": code_form,
        "search_form": search_form,
        "matches": matches,
        "result": result,
    }
    return render(request, "participants/staff/checkin.html", context)
