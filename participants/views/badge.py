"""My digital badge at /me/badge/ (kept offline by the site's service worker, sanjose.pwa)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..selectors.badge import badge_for


@login_required
@require_GET
@never_cache
def badge(request: HttpRequest) -> HttpResponse:
    return render(request, "participants/me/badge.html", {"badge": badge_for(request.user)})
