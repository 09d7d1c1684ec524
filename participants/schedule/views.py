"""The personal schedule page and the personal calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.calendar import build_calendar, calendar_response
from events.models import Event
from participants.models import Participant
from participants.schedule.selectors import feed_sessions, personal_schedule
from participants.schedule.services import reset_calendar_token
from participants.shared_views import calendar_links, signed_in_participant
from participants.signups.selectors import open_signups_for
from sanjose import clock
from sanjose.access import viewer_for
from sanjose.pagecache import (
    content_version,
    digest,
    fill_csrf,
    get_or_build,
    render_with_csrf_placeholder,
    version_time,
)
from sanjose.ratelimit import rate_limited


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    event = Event.objects.current()
    participant = signed_in_participant(request)
    context = {"event": event, "participant": participant}
    if event is not None and participant is not None:
        context["signups_html"] = _signups_html(request, event=event, participant=participant)
        context.update(calendar_links(request, participant))
    context["schedule_html"] = _schedule_html(request, event=event, participant=participant)
    response = render(request, "participants/schedule/schedule.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _signups_html(request: HttpRequest, *, event, participant) -> str:
    """The sessions open for sign-up with my place in each and the forms to take or give
    it up, rendered once per person, version, language and minute (a session closes to
    sign-ups when it ends); each request puts its own CSRF token in the forms."""
    viewer = viewer_for(request.user)

    def render_list() -> str:
        sessions = list(open_signups_for(participant=participant, viewer=viewer, event=event))
        return render_with_csrf_placeholder(
            "participants/schedule/_signups.html", {"open_signups": sessions}
        )

    minute = clock.now().replace(second=0, microsecond=0).isoformat()
    key = "signups:" + digest(
        participant.pk, event.pk, translation.get_language(), viewer.audience_key(), minute
    )
    return mark_safe(fill_csrf(request, get_or_build(key, render_list)))  # noqa: S308 (our template)


def _schedule_html(request: HttpRequest, *, event, participant) -> str:
    """The person's days, rendered once per person, content version, language and
    minute ("now" and "next" move with the clock), from the two-tier page cache."""
    viewer = viewer_for(request.user)

    def render_body() -> str:
        schedule = None
        if event is not None and participant is not None:
            schedule = personal_schedule(participant=participant, viewer=viewer, event=event)
        context = {"event": event, "participant": participant, "schedule": schedule}
        return render_to_string("participants/schedule/_body.html", context, request=request)

    minute = clock.now().replace(second=0, microsecond=0).isoformat()
    key = "schedule:" + digest(
        participant.pk if participant else None,
        event.pk if event else None,
        translation.get_language(),
        viewer.audience_key(),
        minute,
    )
    return mark_safe(get_or_build(key, render_body))  # noqa: S308 (our own template's output)


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
    """The secret feed: no login (phone calendars cannot sign in); the token is the key.

    Built once per person and content version (the two-tier page cache), and sent with
    an ETag and Last-Modified, so a calendar polling it is answered 304 from one cache
    read. "private, no-cache" rather than no-store: a client may keep its copy (the URL
    is the secret), but must ask again, which is exactly a conditional request."""
    version = content_version()
    feed = get_or_build("feed:" + digest(token), lambda: _feed(token), version=version)
    if feed is None:
        raise Http404(_("No such calendar."))
    etag = f'"{digest(version, token)}"' if version else None
    last_modified = version_time(version) if version else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        with translation.override(feed["language"]):
            response = calendar_response(body=feed["body"], filename="my-schedule.ics")
    if etag:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _feed(token: str) -> dict | None:
    participant = Participant.objects.select_related("user").filter(calendar_token=token).first()
    event = Event.objects.current()
    if participant is None or event is None:
        return None
    with translation.override(participant.preferred_language):
        sessions = feed_sessions(
            participant=participant, viewer=viewer_for(participant.user), event=event
        )
        name = _("%(event)s: my schedule") % {"event": event.name}
        body = build_calendar(name=name, time_zone=event.time_zone, sessions=sessions)
        return {"body": body, "language": translation.get_language()}
