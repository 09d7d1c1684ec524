"""The site's URLs plus stand-ins for the policy pages (`pages:privacy`,
`pages:code_of_conduct`), for the tests of the links to them."""

from django.http import HttpResponse
from django.urls import include, path

from sanjose.urls import urlpatterns as site_urlpatterns


def page(request):
    return HttpResponse("policy")


pages = (
    [
        path("privacy/", page, name="privacy"),
        path("code-of-conduct/", page, name="code_of_conduct"),
    ],
    "pages",
)
urlpatterns = [path("", include(pages)), *site_urlpatterns]

# The site as it is without the policy pages (before they land, or if they are removed).
without_policies = [p for p in site_urlpatterns if getattr(p, "namespace", None) != "pages"]
