"""The personal schedule page and the personal calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.calendar import build_calendar, calendar_response
from events.models import Event
from participants.models import Participant
from participants.selectors.schedule import feed_sessions, personal_schedule
from participants.selectors.signups import open_signups_for
from participants.services.schedule import reset_calendar_token
from sanjose.access import viewer_for
from sanjose.ratelimit import rate_limited


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    event = Event.objects.current()
    participant = Participant.objects.filter(user=request.user).first()
    context = {"event": event, "participant": participant, "schedule": None}
    if event is not None and participant is not None:
        viewer = viewer_for(request.user)
        context["schedule"] = personal_schedule(participant=participant, viewer=viewer, event=event)
        context["open_signups"] = list(
            open_signups_for(participant=participant, viewer=viewer, event=event)
        )
        feed_url = request.build_absolute_uri(
            reverse("participants:calendar_feed", args=[participant.calendar_token])
        )
        # webcal:// makes phones offer to subscribe rather than import a one-off copy.
        context["feed_url"] = feed_url
        context["webcal_url"] = "webcal://" + feed_url.split("://", 1)[1]
    response = render(request, "participants/schedule/schedule.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
@rate_limited("calendar_reset")
def reset_token(request: HttpRequest) -> HttpResponse:
    participant = get_object_or_404(Participant, user=request.user)
    reset_calendar_token(participant=participant)
    messages.success(
        request,
        _(
            "Your calendar link was reset. Subscribe again with the new link; "
            "the old one no longer works."
        ),
    )
    return redirect("participants:schedule")


@rate_limited("calendar_feed", methods=("GET", "HEAD"), token_kwarg="token")
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed: no login (phone calendars cannot sign in); the token is the key."""
    participant = Participant.objects.select_related("user").filter(calendar_token=token).first()
    event = Event.objects.current()
    if participant is None or event is None:
        raise Http404(_("No such calendar."))
    with translation.override(participant.preferred_language):
        sessions = feed_sessions(
            participant=participant, viewer=viewer_for(participant.user), event=event
        )
        name = _("%(event)s: my schedule") % {"event": event.name}
        response = calendar_response(
            body=build_calendar(name=name, sessions=sessions), filename="my-schedule.ics"
        )
    patch_cache_control(response, private=True, no_store=True)
    return response
