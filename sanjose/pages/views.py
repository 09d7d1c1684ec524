"""The privacy notice and the code of conduct: the version in force, and earlier ones."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sanjose.pages.models import PolicyVersion
from sanjose.pages.selectors import published_versions

Kind = PolicyVersion.Kind


def _policy_page(request: HttpRequest, kind: str, version: str | None) -> HttpResponse:
    versions = published_versions(kind=kind)
    if version is None:
        shown = versions[0] if versions else None
        if shown is None:
            raise Http404
    else:
        shown = next((v for v in versions if v.version == version), None)
        if shown is None:
            raise Http404
    context = {"policy": shown, "versions": versions, "is_current": shown == versions[0]}
    return render(request, "pages/policy.html", context)


def privacy(request: HttpRequest, version: str | None = None) -> HttpResponse:
    return _policy_page(request, Kind.PRIVACY, version)


def code_of_conduct(request: HttpRequest, version: str | None = None) -> HttpResponse:
    return _policy_page(request, Kind.CONDUCT, version)
