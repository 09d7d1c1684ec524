"""The site's URLs without the policy pages."""

from tests.participants.registration.urls_with_policies import without_policies as urlpatterns  # noqa: F401
