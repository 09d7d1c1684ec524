"""Pages and feeds that are the same for everyone: home, agenda, sessions, open day."""

import mimetypes

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from sanjose.access import Viewer, viewer_for
from sanjose.i18n import active_content_language
from sanjose.pagecache import digest, get_or_build, public_page
from sanjose.ratelimit import rate_limited

from .calendar import build_calendar, calendar_response
from .models import Event
from .selectors import (
    agenda_days,
    open_day_programme,
    public_feed_sessions,
    session_for_page,
    speaker_for_page,
    speaker_sessions,
    speakers_for_agenda,
)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    event = Event.objects.current()
    # Signed in, the page may hold announcements for this person's type or group.
    return _private_when_signed_in(request, render(request, "events/home.html", {"event": event}))


@public_page
def agenda(request: HttpRequest) -> HttpResponse:
    event = _current_event_or_404()
    viewer = viewer_for(request.user)
    response = render(
        request,
        "events/agenda.html",
        {"event": event, "agenda_html": _agenda_html(request, event, viewer)},
    )
    return _private_when_signed_in(request, response)


def _agenda_html(request: HttpRequest, event: Event, viewer: Viewer) -> str:
    """The agenda's days as this viewer's audience sees them. Rendered once per content
    version, language and audience (`Viewer.audience_key`: anonymous, account, guest,
    participant, groups, staff) and shared by everyone with the same access, so 300
    sessions are not rendered again for each request; never shared across audiences."""

    def render_days() -> str:
        days = agenda_days(event=event, viewer=viewer)
        context = {"event": event, "days": days}
        return render_to_string("events/_agenda_days.html", context, request=request)

    key = "agenda-days:" + digest(event.pk, active_content_language(), viewer.audience_key())
    return get_or_build(key, render_days)


@public_page
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    session = session_for_page(pk=pk, viewer=viewer)
    if session is None:
        raise Http404(_("No such session."))
    # Document.objects.visible_to(viewer).filter(sessions=session), through the reverse
    # relation so that events need not import documents (which depends on events).
    documents = session.documents.visible_to(viewer).order_by("title_en", "pk")
    response = render(
        request,
        "events/session_detail.html",
        {"session": session, "event": session.event, "documents": documents},
    )
    return _private_when_signed_in(request, response)


@public_page
def speaker_list(request: HttpRequest) -> HttpResponse:
    event = _current_event_or_404()
    speakers = speakers_for_agenda(event=event, viewer=viewer_for(request.user))
    response = render(request, "events/speaker_list.html", {"event": event, "speakers": speakers})
    return _private_when_signed_in(request, response)


@public_page
def speaker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    speaker = speaker_for_page(pk=pk, viewer=viewer)
    if speaker is None:
        raise Http404(_("No such speaker."))
    response = render(
        request,
        "events/speaker_detail.html",
        {
            "speaker": speaker,
            "event": speaker.event,
            "parts": speaker_sessions(speaker=speaker, viewer=viewer),
        },
    )
    return _private_when_signed_in(request, response)


def speaker_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A speaker's photo: only with their consent, and only to viewers who may know of
    the speaker (the same rule as the page); 404 otherwise."""
    speaker = speaker_for_page(pk=pk, viewer=viewer_for(request.user))
    if speaker is None or not speaker.shows_photo:
        raise Http404(_("No such photo."))
    try:
        handle = speaker.photo.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such photo.")) from None
    content_type = mimetypes.guess_type(speaker.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@public_page
def open_day(request: HttpRequest) -> HttpResponse:
    event = _current_event_or_404()
    days, sessions = open_day_programme(event=event)
    registration_type = event.registration_types.filter(is_public=True).order_by("position").first()
    response = render(
        request,
        "events/open_day.html",
        {
            "event": event,
            "days": days,
            "sessions": sessions,
            "registration_type": registration_type,
        },
    )
    return _private_when_signed_in(request, response)


@rate_limited("agenda_feed", methods=("GET", "HEAD"))
def agenda_ics(request: HttpRequest) -> HttpResponse:
    """The public feed: the same for everyone, so cached per language like the agenda."""
    event = _current_event_or_404()
    body = get_or_build(
        f"agenda-ics:{event.pk}:{active_content_language()}",
        lambda: build_calendar(
            name=event.name, time_zone=event.time_zone, sessions=public_feed_sessions(event=event)
        ),
    )
    return calendar_response(body=body, filename=f"{event.slug}.ics")


def _current_event_or_404() -> Event:
    event = Event.objects.current()
    if event is None:
        raise Http404(_("No event is open at the moment."))
    return event


def _private_when_signed_in(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    return response
