"""The installable participant app: web app manifest, the site's one service worker, the
offline page, and the opaque "viewer" mark the worker uses to forget a signed-out person.

The worker itself is static/js/sw.js; /sw.js serves it from the root so that its scope
is the whole site (a worker may only control the folder it is served from), preceded by
a small configuration built here: the versioned shell to precache and which paths to keep.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

WORKER = "js/sw.js"
THEME_COLOUR = "#0b5563"
BACKGROUND_COLOUR = "#ffffff"
VIEWER_HEADER = "X-Sanjose-Viewer"
ANONYMOUS = "anonymous"
# Precached on install: what every page needs to render offline.
SHELL = [
    "vendor/bootstrap-5.3.9/css/bootstrap.min.css",
    "css/site.css",
    "vendor/bootstrap-5.3.9/js/bootstrap.bundle.min.js",
    "js/app.js",
    "images/favicon.svg",
    "images/icons/icon-192.png",
]
ICONS = [
    ("images/icons/icon-192.png", 192, "any"),
    ("images/icons/icon-512.png", 512, "any"),
    ("images/icons/icon-maskable-512.png", 512, "maskable"),
]


def viewer_mark(user) -> str:
    """Who a page was made for, as an opaque mark: 'anonymous', or a keyed hash of the
    account (no personal data). The worker drops every kept page when it changes."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return salted_hmac("sanjose.pwa.viewer", str(user.pk)).hexdigest()[:20]


def worker_config() -> dict:
    """What the worker keeps: public pages for anyone, personal ones only for a
    signed-in viewer; `warm` is fetched as soon as a signed-in viewer is seen, so the
    badge opens offline after the first online visit to any page."""
    personal = [
        reverse("participants:me"),
        reverse("participants:schedule"),
        reverse("participants:badge"),
    ]
    agenda = reverse("events:agenda")
    public = [reverse("events:home"), agenda, reverse("events:open_day")]
    shell = [static(name) for name in SHELL]
    return {
        "shell": shell,
        "offline": reverse("offline"),
        "public": public,
        "publicPatterns": [r"^/agenda/sessions/\d+/$"],
        "personal": personal,
        "warm": [*personal, agenda],
        "logout": reverse("account_logout"),
        # STATIC_URL, not static(""): the hashed-files storage has no entry for "".
        "staticPrefix": settings.STATIC_URL,
        "viewerHeader": VIEWER_HEADER,
        "anonymous": ANONYMOUS,
    }


def _source(name: str) -> bytes:
    path = finders.find(name)
    if not path:
        raise FileNotFoundError(name)
    with open(path, "rb") as source:
        return source.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: the configuration, then the worker. The version is a hash of both and of
    the shell's files, so any change installs a new worker that refreshes the shell."""
    config = worker_config()
    script = _source(WORKER)
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode() + script)
    for name in SHELL:
        digest.update(_source(name))
    config["version"] = digest.hexdigest()[:12]
    prefix = f"self.SANJOSE_SW = {json.dumps(config, sort_keys=True)};\n"
    response = HttpResponse(prefix.encode() + script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in the page's language (?lang=), the app starting at /me/."""
    language = request.GET.get("lang") or translation.get_language()
    if language not in {"en", "es"}:
        language = translation.get_language()
    with translation.override(language):
        data = {
            "id": reverse("participants:me"),
            "name": _("San José Dialogue"),
            "short_name": _("San José"),
            "description": _(
                "My registration, schedule, badge and documents for the San José Dialogue."
            ),
            "lang": language,
            "dir": "ltr",
            "start_url": reverse("participants:me"),
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "icons": [
                {
                    "src": static(name),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": purpose,
                }
                for name, size, purpose in ICONS
            ],
        }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the worker for a page not kept on this phone. Always rendered as for a
    signed-out visitor: it is kept across sign-outs, so it carries nothing personal."""
    return render(request, "sanjose/offline.html", {"user": AnonymousUser()})
