from django.http import HttpRequest, HttpResponse

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


class ViewerMarkMiddleware:
    """Names, on every HTML page, whom it was made for (an opaque mark, see sanjose.pwa):
    the service worker forgets every kept personal page when the mark changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            from sanjose.pwa import VIEWER_HEADER, viewer_mark

            response[VIEWER_HEADER] = viewer_mark(getattr(request, "user", None))
        return response
