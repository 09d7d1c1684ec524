"""The participant directory (approved participants only) and one's own listing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.models import Event
from participants.directory.forms import DirectoryListingForm, DirectorySearchForm
from participants.directory.selectors import directory_entries, may_see_directory
from participants.directory.services import set_directory_listing
from participants.models import Participant
from sanjose.access import viewer_for

PAGE_SIZE = 50


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    event = Event.objects.current()
    viewer = viewer_for(request.user)
    if event is None or not may_see_directory(viewer=viewer, event_id=event.pk):
        raise Http404(_("No such page."))
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = directory_entries(
        viewer=viewer,
        event_id=event.pk,
        query=filters.get("q", ""),
        sector=filters.get("sector", ""),
        subregion=filters.get("subregion", ""),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "participants/directory/directory.html",
        {"event": event, "form": form, "page": page, "query": query.urlencode()},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_listing(request: HttpRequest) -> HttpResponse:
    participant = get_object_or_404(Participant, user=request.user)
    form = DirectoryListingForm(
        request.POST or None,
        initial={
            "listed": participant.directory_listed_at is not None,
            "bio": participant.directory_bio,
            "contact": participant.directory_contact,
        },
    )
    if request.method == "POST" and form.is_valid():
        listed = form.cleaned_data["listed"]
        set_directory_listing(
            participant=participant,
            listed=listed,
            bio=form.cleaned_data["bio"],
            contact=form.cleaned_data["contact"],
        )
        messages.success(
            request,
            _("You are listed in the participant directory.")
            if listed
            else _("You are not in the participant directory: nothing of you is shown."),
        )
        return redirect("participants:my_directory_listing")
    return render(
        request, "participants/directory/listing.html", {"form": form, "participant": participant}
    )
