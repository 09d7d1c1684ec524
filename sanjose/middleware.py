import hashlib
import re

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage.base import BaseStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from sanjose import clock
from sanjose.errors import bad_request_page

# The policy itself is settings.CONTENT_SECURITY_POLICY (django-csp): no inline scripts or
# styles anywhere in our own pages (STYLE.md). The Django admin's widgets set a few style
# attributes from their scripts, so only the admin may use inline styles; never scripts.
ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts


# C0 controls (NUL included), DEL and C1 controls: no URL of this site has them, and a NUL
# reaching PostgreSQL is a server error ("A string literal cannot contain NUL").
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class RefuseControlCharactersMiddleware:
    """400 with a clear page for a path or query parameter holding a control character,
    before any view, form or query sees it; one rule for every URL, present and future."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_control_characters(request):
            return bad_request_page(
                _("The address contains characters that are not allowed (control characters).")
            )
        return self.get_response(request)

    @staticmethod
    def _has_control_characters(request: HttpRequest) -> bool:
        if CONTROL_CHARACTERS.search(request.path_info) or CONTROL_CHARACTERS.search(request.path):
            return True
        return any(
            CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
            for key, values in request.GET.lists()
            for value in values
        )


class PrivateCacheMiddleware:
    """A signed-in page carries personal data: no shared cache may keep it and the
    browser must not store it on disk (`Cache-Control: private, no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # A view that already forbids storing (never_cache) keeps its own header.
            if "no-store" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
            patch_vary_headers(response, ["Cookie"])
        return response


class StaffIdleTimeoutMiddleware:
    """A staff session left idle for STAFF_SESSION_IDLE_MINUTES ends: the next request
    signs out and goes to the sign-in page. The last activity lives in the cache under a
    hash of the session key (no session write, no query), refreshed at most once a
    minute; with the cache unreachable the check is skipped rather than the page failed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        minutes = settings.STAFF_SESSION_IDLE_MINUTES
        is_staff = bool(minutes and user is not None and user.is_authenticated and user.is_staff)
        if is_staff and self._idle_too_long(request.session.session_key or "", minutes):
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)s minutes without activity.")
                % {"minutes": minutes},
            )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _idle_too_long(session_key: str, minutes: int) -> bool:
        key = "staff-seen:" + hashlib.sha256(session_key.encode()).hexdigest()
        now = int(clock.now().timestamp())
        try:
            last_seen = cache.get(key)
            if last_seen is not None and now - last_seen > minutes * 60:
                cache.delete(key)
                return True
            if last_seen is None or now - last_seen >= 60:
                cache.set(key, now, timeout=settings.SESSION_COOKIE_AGE)
        except Exception:  # the cache is down: keep the site up, skip the idle check
            return False
        return False


class ViewerMarkMiddleware:
    """Names, on every HTML page, whom it was made for (an opaque mark, see sanjose.pwa):
    the service worker forgets every kept personal page when the mark changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            from sanjose.pwa import VIEWER_HEADER, viewer_mark

            response[VIEWER_HEADER] = viewer_mark(getattr(request, "user", None))
        return response


class _UntouchedMessages(BaseStorage):
    """A background copy's messages: none to show, and what a view adds goes nowhere."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


class OfflineCopyMiddleware:
    """The service worker's background copies (`X-Offline-Copy: 1`, fetched right after
    sign-in) leave the flash messages alone: the message pending for the page the person
    opens next is not spent on the copy, and one a view adds while making the copy ("Please
    fill in your profile first", "saved") is not shown later on a page it is not about.
    Placed after MessageMiddleware, whose storage this replaces for such a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.headers.get("X-Offline-Copy") == "1":
            request._messages = _UntouchedMessages(request)
        return self.get_response(request)
