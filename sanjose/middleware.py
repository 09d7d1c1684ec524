from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

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
