"""Notification preferences (/me/notifications/) and the signed one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from participants.notifications import services as notifications
from participants.notifications.forms import NotificationPreferencesForm
from participants.shared_views import signed_in_participant
from sanjose.ratelimit import rate_limited


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    participant = signed_in_participant(request)
    if participant is None:
        return render(request, "participants/notifications/preferences.html", {"form": None})
    form = NotificationPreferencesForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        notifications.update_notification_preferences(participant=participant, **form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("participants:notification_preferences")
    return render(request, "participants/notifications/preferences.html", {"form": form})


# A mail client's one-click unsubscribe (RFC 8058) posts without a CSRF token; the signed
# token is the authority. GET only shows the button, so a link scanner changes nothing.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@rate_limited("unsubscribe", methods=("GET", "POST"))
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = notifications.read_unsubscribe_token(token=token)
    if found is None:
        raise Http404("Unknown unsubscribe link")
    participant, kind = found
    done = request.method == "POST"
    if done:
        notifications.unsubscribe(participant=participant, kind=kind)
    context = {"kind_name": notifications.KIND_NAMES[kind], "done": done}
    return render(request, "participants/notifications/unsubscribe.html", context)
