"""The whole path with the test client: signup, the verification link, profile,
registration, staff approval in the admin, and the emails."""

import re

import pytest
from django.core import mail
from django.test import Client

from participants.models import Registration
from sanjose.outbox.models import OutboxMessage
from tests.factories import EventFactory, InvitationFactory, RegistrationTypeFactory, UserFactory
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-for-tests"
PROFILE_ES = {
    "badge_name": "Bruno Delegate Example",
    "organisation": "Example Foundation",
    "sector": "government",
    "country": "PE",
    "preferred_language": "es",
    "languages_spoken": ["es"],
    "accepts_privacy": "on",
    "accepts_conduct": "on",
}


def test_signup_verify_profile_register_and_staff_approval(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(name="San José Dialogue", is_current=True)
    full = RegistrationTypeFactory(
        event=event, slug="full-dialogue", name_en="Full Dialogue", name_es="Diálogo completo"
    )

    # 1. Sign up: the verification email goes out through the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "new.delegate@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert client.get("/me/").status_code == 302  # not signed in until verified
    assert len(mail.outbox) == 1
    verification = mail.outbox[0]
    assert verification.to == ["new.delegate@example.org"]
    assert OutboxMessage.objects.get(kind="account").status == OutboxMessage.Status.SENT
    link = re.search(r"http://[^/]+(/accounts/confirm-email/[^/\s]+/)", verification.body)[1]

    # 2. The link from the email confirms the address and signs the person in.
    assert client.get(link).status_code == 200
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0].startswith("/me/profile/")

    # 3. The profile.
    response = client.post("/me/profile/?next=/register/", PROFILE_ES)
    assert response.headers["Location"] == "/register/"

    # 4. Registration for the by-invitation type: submitted, and told so in Spanish.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/register/", {"type": full.pk, "motivation": "Government focal point"}
        )
    assert response.headers["Location"] == "/me/"
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.SUBMITTED
    assert mail.outbox[-1].to == ["new.delegate@example.org"]
    assert "Diálogo completo" in mail.outbox[-1].body

    # 5. Staff approve it in the admin, with a reason.
    staff = Client()
    sign_in_staff(staff, UserFactory(username="staff", is_staff=True, is_superuser=True))
    changelist = "/admin/participants/registration/"
    listed = staff.get(
        changelist, {"status__exact": "submitted", "participant__subregion": "south_america"}
    )
    assert list(listed.context["cl"].result_list) == [registration]
    confirm = staff.post(changelist, {"action": "approve", "_selected_action": [registration.pk]})
    assert confirm.status_code == 200
    assert "Bruno Delegate Example" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(
            changelist,
            {
                "action": "approve",
                "_selected_action": [registration.pk],
                "apply": "1",
                "reason": "Focal point for Peru",
            },
        )
    assert done.status_code == 302

    # 6. Approved, recorded, emailed; /me/ says so.
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    change = registration.changes.last()
    assert (change.changed_by.username, change.reason) == ("staff", "Focal point for Peru")
    assert mail.outbox[-1].to == ["new.delegate@example.org"]
    assert OutboxMessage.objects.get(kind="registration_approved").language == "es"
    assert list(OutboxMessage.objects.order_by("pk").values_list("kind", "status")) == [
        ("account", "sent"),
        ("registration_received", "sent"),
        ("registration_approved", "sent"),
    ]
    response = client.get("/me/")
    assert response.context["registration"].status == Registration.Status.APPROVED


def test_invitee_signs_up_from_the_link_and_comes_back_to_accept_it(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(name="San José Dialogue", is_current=True)
    full = RegistrationTypeFactory(event=event, slug="full-dialogue", capacity=5)
    invitation = InvitationFactory(event=event, type=full, email="invitee@example.org")

    assert client.get(invitation.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/accounts/signup/?next={invitation.get_absolute_url()}",
            {"email": "invitee@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    link = re.search(r"http://[^/]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body)[1]
    client.post(link)
    response = client.post("/me/profile/", PROFILE_ES, follow=True)

    assert response.redirect_chain[-1][0] == invitation.get_absolute_url()
    response = client.post(invitation.get_absolute_url(), follow=True)
    assert response.context["registration"].status == Registration.Status.APPROVED
    assert response.context["registration"].invitation == invitation
