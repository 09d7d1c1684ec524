"""The email is the login: the username allauth generates is never shown."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
ADDRESS = "nueva.persona@example.org"


def test_signing_up_never_shows_the_generated_username(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pages = [
            client.post(
                "/accounts/signup/",
                {"email": ADDRESS, "password1": PASSWORD, "password2": PASSWORD},
                follow=True,
            )
        ]
    username = EmailAddress.objects.get().user.username
    assert username and username != ADDRESS
    link = re.search(r"http\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)[0]
    pages.append(client.get(link.split("8000", 1)[-1], follow=True))
    pages.append(client.post(link.split("8000", 1)[-1], follow=True))
    pages.append(client.get("/me/profile/"))
    pages.append(client.get("/accounts/email/"))

    for page in pages:
        assert page.status_code == 200
        shown = page.content.decode().replace(ADDRESS, "")
        assert username not in shown, page.request["PATH_INFO"]
    for message in mail.outbox:
        assert username not in message.body.replace(ADDRESS, "")
        assert username not in message.alternatives[0][0].replace(ADDRESS, "")
