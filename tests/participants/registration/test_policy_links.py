"""The consent boxes and the footer link the privacy notice and the code of conduct once
their pages exist, and nothing breaks while they do not."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import NoReverseMatch, reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client):
    user = UserFactory(username="u-ana", email="ana@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return client


@pytest.mark.urls("tests.participants.registration.urls_with_policies")
def test_consent_boxes_and_footer_link_the_policies(client):
    html = signed_in(client).get("/me/profile/").content.decode()

    consent = html[html.index('name="accepts_privacy"') :]
    assert 'href="/privacy/"' in consent and 'href="/code-of-conduct/"' in consent
    footer = html[html.index("<footer") :]
    assert 'href="/privacy/"' in footer and 'href="/code-of-conduct/"' in footer


@pytest.mark.urls("tests.participants.registration.urls_without_policies")
def test_without_the_policy_pages_the_profile_still_renders(client):
    with pytest.raises(NoReverseMatch):
        reverse("pages:privacy")

    response = signed_in(client).get("/me/profile/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="accepts_privacy"' in html
    assert 'href="/privacy/"' not in html
