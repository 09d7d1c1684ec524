import re

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _

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
