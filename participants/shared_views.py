"""What the pages of several features share: the signed-in participant, the way to
the profile form, the staff-permission decorator and the ?event= choice of staff
pages, the calendar links.

A feature's views never import another feature's views (tests/test_architecture.py).
"""

import copy
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from events.models import Event
from participants.desk.forms import EventChoiceForm
from participants.models import Participant
from sanjose.pagecache import digest, get_or_build


def staff_permission_required(permission: str) -> Callable:
    """A staff page that needs `permission` (participants/roles.py): an anonymous
    visitor is sent to sign in; anyone else without the permission gets 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (request.user.is_staff and request.user.has_perm(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission_required = permission
        return wrapped

    return decorator


def chosen_event(request: HttpRequest) -> Event | None:
    """The event named by `?event=` (read by a form: any other value is a 404, never a
    crash), or the current one."""
    form = EventChoiceForm({"event": request.GET.get("event", "")})
    if not form.is_valid():
        raise Http404
    return form.cleaned_data["event"] or Event.objects.current()


_NO_PROFILE = "none"  # cached as such: the page cache stores no None


def signed_in_participant(request: HttpRequest) -> Participant | None:
    """The signed-in person's profile, or None. From the page cache per person and content
    version (any write to a participant is a new version, so it is never stale), and a
    copy of its own for each caller: a view may change it (a form's instance) without the
    next request seeing an unsaved change."""
    if not request.user.is_authenticated:
        return None
    user_id = request.user.pk
    found = get_or_build(
        "participant:" + digest(user_id),
        lambda: Participant.objects.filter(user_id=user_id).first() or _NO_PROFILE,
    )
    return None if isinstance(found, str) else copy.deepcopy(found)


def to_profile_first(request: HttpRequest) -> HttpResponse:
    messages.info(request, gettext("Please fill in your profile first."))
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('participants:profile')}?{query}")


def calendar_links(request: HttpRequest, participant: Participant) -> dict[str, str]:
    """The private feed's https link (to copy) and its webcal:// twin (phones offer to
    subscribe to it rather than import a one-off copy)."""
    feed_url = request.build_absolute_uri(
        reverse("participants:calendar_feed", args=[participant.calendar_token])
    )
    return {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]}
