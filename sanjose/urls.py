from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from sanjose import benchmark, health, pwa
from sanjose.language import switch_language

# The admin signs in through allauth too (rate limits, verified email, one login page).
admin.site.login = login_required(admin.site.login)
admin.site.site_header = _("San José Dialogue – administration")
admin.site.site_title = _("San José Dialogue")
admin.site.index_title = _("Event administration")

# allauth's own limits (login, signup, password reset) answer with the same page as ours.
handler429 = "sanjose.ratelimit.too_many"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # The language switch is a link (sanjose/language.py): no form, so no CSRF cookie on
    # anonymous pages, which keeps them cacheable.
    path("lang/<str:code>/", switch_language, name="switch_language"),
    path("documents/", include("documents.urls")),
    path("", include("sanjose.pages.urls")),
    path("", include("participants.urls")),
    path("", include("events.urls")),
]

if settings.BENCHMARK:  # benchmarks/load.py: the yardstick, never mounted otherwise
    urlpatterns.insert(0, path("_bench/ok", benchmark.trivial, name="bench_trivial"))

handler400 = "sanjose.errors.bad_request"
handler500 = "sanjose.errors.server_error"
