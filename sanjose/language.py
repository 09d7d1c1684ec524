"""The language switch in every page's frame: a plain link, not a form.

`/lang/<code>/?next=<path>` sets the language cookie and sends the visitor back. A GET
link needs no CSRF token, so an anonymous page carries no CSRF cookie and stays
cacheable, shared, per language. What it changes is the language cookie alone (no
session, no account field), so a forged link can do no more than a visitor's own click;
`next` is only followed to this site.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sanjose.i18n import remember_language

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@require_safe
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    if code not in LANGUAGE_CODES:
        raise Http404(_("No such language."))
    response = HttpResponseRedirect(_safe_next(request))
    remember_language(response, code)
    # The answer sets a cookie: no cache may keep it for someone else.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith("/") else "/"
