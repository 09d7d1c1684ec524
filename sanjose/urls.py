from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from sanjose import benchmark
from sanjose.health import healthz

# The admin signs in through allauth too (rate limits, verified email, one login page).
admin.site.login = login_required(admin.site.login)
admin.site.site_header = _("San José Dialogue – administration")
admin.site.site_title = _("San José Dialogue")
admin.site.index_title = _("Event administration")

# allauth's own limits (login, signup, password reset) answer with the same page as ours.
handler429 = "sanjose.ratelimit.too_many"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # The language switcher is in every page's frame. A CSRF token there would set the CSRF
    # cookie on every anonymous page and make it impossible to cache; a forged switch can
    # do no more than change the language cookie (and `next` is checked by the view).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("documents/", include("documents.urls")),
    path("", include("participants.urls")),
    path("", include("events.urls")),
]

if settings.BENCHMARK:  # benchmarks/load.py: the yardstick, never mounted otherwise
    urlpatterns.insert(0, path("_bench/ok", benchmark.trivial, name="bench_trivial"))
