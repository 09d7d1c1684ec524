"""Two-factor authentication for staff (issue 11: "no staff MFA").

A staff account reaches /admin/ and /staff/ only with an authenticator app, and only
after giving a code from it in this session.
"""

from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from participants.roles import ORGANISER
from sanjose import sealing
from tests.factories import StaffUserFactory, UserFactory
from tests.signin import give_authenticator, sign_in_staff, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
STAFF_PAGES = ["/admin/", "/admin/participants/registration/", "/staff/", "/staff/checkin/"]


@pytest.fixture(autouse=True)
def one_step_of_clock_skew(settings):
    # A code computed just before a 30-second boundary is still accepted just after.
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def organiser():
    user = StaffUserFactory(roles=[ORGANISER], email="organiser@example.org")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, organiser, page):
    sign_in_staff(client, organiser, two_factor=False)

    response = client.get(page)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/accounts/2fa/totp/activate/?next={quote(page, '')}"


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_with_an_authenticator_must_pass_the_step_in_this_session(client, organiser, page):
    give_authenticator(organiser)
    client.force_login(organiser)

    response = client.get(page)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/2fa/reauthenticate/?next=")


def test_a_csv_export_is_not_handed_out_before_the_step(client, organiser):
    sign_in_staff(client, organiser, two_factor=False)

    response = client.get("/staff/exports/attendees.csv")

    assert response.status_code == 302
    assert not response.get("Content-Disposition")


def test_signing_in_with_password_and_a_real_totp_code_opens_the_admin(client, organiser):
    secret = give_authenticator(organiser)

    response = client.post("/accounts/login/", {"login": organiser.email, "password": PASSWORD})
    assert response.headers["Location"] == "/accounts/2fa/authenticate/"
    # Half-way (password only) is not signed in: the admin sends to the login page.
    assert client.get("/admin/").headers["Location"].startswith("/admin/login/")

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/staff/").status_code == 200


def test_a_wrong_code_does_not_sign_in(client, organiser):
    secret = give_authenticator(organiser)
    client.post("/accounts/login/", {"login": organiser.email, "password": PASSWORD})
    right = totp_code(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_session_from_before_passes_the_step_with_a_real_code(client, organiser):
    secret = give_authenticator(organiser)
    client.force_login(organiser)
    target = client.get("/admin/").headers["Location"]

    response = client.post(target, {"code": totp_code(secret)})

    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_passes_the_step(client, organiser):
    give_authenticator(organiser)
    codes = RecoveryCodes.activate(organiser).generate_codes()
    client.post("/accounts/login/", {"login": organiser.email, "password": PASSWORD})

    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})

    assert client.get("/admin/").status_code == 200


def test_setting_up_the_authenticator_shows_a_qr_code(client, organiser):
    client.post("/accounts/login/", {"login": organiser.email, "password": PASSWORD})

    response = client.get("/admin/", follow=True)
    # allauth asks for the password again before adding an authenticator.
    assert response.redirect_chain[0][0] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/totp/activate/")
    html = response.content.decode()
    assert "data:image/svg+xml;base64," in html
    secret = response.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=organiser, type="totp").exists()


def test_totp_secrets_are_sealed_in_the_database(organiser):
    secret = give_authenticator(organiser)

    stored = Authenticator.objects.get(user=organiser, type="totp").data["secret"]

    assert stored != secret and sealing.is_sealed(stored)
    assert sealing.unseal(stored) == secret


def test_people_who_are_not_staff_are_not_asked(client):
    client.force_login(UserFactory())

    assert "2fa" not in client.get("/me/").headers.get("Location", "")
    assert client.get("/staff/").status_code == 403


def test_staff_can_always_sign_out(client, organiser):
    sign_in_staff(client, organiser, two_factor=False)

    response = client.post("/admin/logout/")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_cannot_remove_their_authenticator_but_others_can(organiser):
    from allauth.mfa.adapter import get_adapter

    give_authenticator(organiser)
    delegate = UserFactory()
    give_authenticator(delegate)
    adapter = get_adapter()

    assert not adapter.can_delete_authenticator(organiser.authenticator_set.get(type="totp"))
    assert adapter.can_delete_authenticator(delegate.authenticator_set.get(type="totp"))
