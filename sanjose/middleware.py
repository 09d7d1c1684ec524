import re

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sanjose.errors import bad_request_page

# No inline scripts anywhere (STYLE.md): the policy forbids them. Inline style attributes
# stay allowed because the Django admin still uses a few.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


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
