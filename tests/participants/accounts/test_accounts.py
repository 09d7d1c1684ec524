"""Accounts through allauth: rate limits, no account enumeration, email via the outbox,
the admin signing in through allauth, pages in Spanish."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from sanjose.outbox.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def verified_user(email="delegate@example.org"):
    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_failed_logins_for_one_account_are_rate_limited(client):
    verified_user()
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": "delegate@example.org", "password": "wrong"}
        )
        assert "The email address and/or password you specified are not correct." in (
            response.content.decode()
        )

    response = client.post(
        "/accounts/login/", {"login": "delegate@example.org", "password": "correct-horse-battery"}
    )

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_with_a_taken_email_looks_like_any_signup(
    client, django_capture_on_commit_callbacks
):
    verified_user()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "delegate@example.org",
                "password1": "another-long-passphrase",
                "password2": "another-long-passphrase",
            },
        )

    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert [m.to for m in mail.outbox] == [["delegate@example.org"]]
    assert "already" in mail.outbox[0].body.lower()


def test_password_reset_for_an_unknown_email_looks_like_a_known_one(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response.headers["Location"] == "/accounts/password/reset/done/"
    message = OutboxMessage.objects.get()
    assert (message.kind, message.recipient, message.status) == (
        "account",
        "nobody@example.org",
        "sent",
    )


def test_password_reset_from_the_emailed_key(client, django_capture_on_commit_callbacks):
    verified_user()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "delegate@example.org"})
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/password/reset/key/" in w)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )

    assert response.headers["Location"] == "/accounts/password/reset/key/done/"
    assert client.login(username="delegate@example.org", password="a-brand-new-passphrase")


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/?next=")


def test_unverified_email_cannot_sign_in(client, django_capture_on_commit_callbacks):
    user = UserFactory(username="new@example.org", email="new@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/login/", {"login": "new@example.org", "password": "correct-horse-battery"}
        )

    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert mail.outbox[0].to == ["new@example.org"]


@pytest.mark.parametrize(
    ("path", "spanish"),
    [
        ("/accounts/signup/", "Contraseña"),
        ("/accounts/login/", "Contraseña"),
        ("/accounts/password/reset/", "Restablecer mi contraseña"),
        ("/accounts/confirm-email/", "Verifique su dirección de correo electrónico"),
    ],
)
def test_account_pages_answer_in_spanish(client, path, spanish):
    client.cookies["django_language"] = "es"

    response = client.get(path)

    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in body
    assert "auth-card" in body
    assert spanish in body


def test_the_old_address_is_told_of_an_email_change(client, django_capture_on_commit_callbacks):
    user = verified_user("old.address@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.org"})
    link = next(w for w in mail.outbox[-1].body.split() if "/accounts/confirm-email/" in w)
    assert mail.outbox[-1].to == ["new.address@example.org"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)

    user.refresh_from_db()
    assert user.email == "new.address@example.org"
    notice = mail.outbox[-1]
    assert notice.to == ["old.address@example.org"]
    assert "changed from old.address@example.org to new.address@example.org" in notice.body
    assert "If it was not you" in notice.body
    message = OutboxMessage.objects.get(object_key="email_changed")
    assert (message.kind, message.recipient) == ("account", "old.address@example.org")
