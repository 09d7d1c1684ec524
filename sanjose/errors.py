"""Error pages: 400 for requests this site refuses to read, 500, and 503 when the
database is out of reach. They render without the database or the session."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# What a lost database connection raises (pg_terminate_backend, a restart, a failover).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = "30"


def render_error(template: str, *, status: int, context: dict | None = None) -> HttpResponse:
    """The error page, no request context: nothing here may query the database."""
    body = loader.get_template(template).render(context or {})
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request_page(reason: str) -> HttpResponse:
    return render_error("400.html", status=400, context={"reason": reason})


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A lost database connection is a 503 (try again shortly), anything
    else a 500; either way a page in the visitor's language, never a traceback. Django
    calls this inside its `except` block, so the exception is at hand."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        response = render_error("503.html", status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    return render_error("500.html", status=500)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400 (SuspiciousOperation and the like)."""
    return render_error("400.html", status=400)
