"""My digital badge at /me/badge/, and the service worker that keeps it offline."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..selectors.badge import badge_for

WORKER = "js/badge-sw.js"


@login_required
@require_GET
@never_cache
def badge(request: HttpRequest) -> HttpResponse:
    return render(request, "participants/me/badge.html", {"badge": badge_for(request.user)})


@require_GET
def badge_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /me/badge/ so that it may control that page
    (a worker's scope is the folder it is served from; /static/js/ would be too narrow)."""
    with open(finders.find(WORKER), encoding="utf-8") as source:
        script = source.read()
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
