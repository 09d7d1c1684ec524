"""Messages carrying secrets in the outbox (issue 11).

Found: "A staff account with only 'view outbox message' can take over the superuser":
request a password reset anonymously for the admin's address, open the outbox row in
the admin, follow the reset link shown in its body. Bodies with one-time links were
stored and shown in full, and never purged.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection

from sanjose import clock, sealing
from sanjose.outbox import services
from sanjose.outbox.models import OutboxMessage
from tests.factories import InvitationFactory, StaffUserFactory, UserFactory
from tests.signin import sign_in_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_email_templates")]

ADMIN_EMAIL = "chief@example.org"
RESET_LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+")


@pytest.fixture
def superuser():
    user = UserFactory(username=ADMIN_EMAIL, email=ADMIN_EMAIL, is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=ADMIN_EMAIL, verified=True, primary=True)
    return user


@pytest.fixture
def outbox_reader(client):
    """A staff account with nothing but "view outbox message"."""
    user = StaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    return sign_in_staff(client, user)


def request_reset(django_capture_on_commit_callbacks, *, send: bool) -> None:
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=send):
        response = Client().post("/accounts/password/reset/", {"email": ADMIN_EMAIL})
    assert response.status_code == 302


def admin_pages(client, message: OutboxMessage) -> list[str]:
    base = "/admin/outbox/outboxmessage/"
    pages = [
        client.get(base),
        client.get(f"{base}{message.pk}/change/"),
        client.get(base, {"q": "reset"}),
        client.get(base, {"q": "key"}),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    return [page.content.decode() for page in pages]


@pytest.mark.parametrize("sent", [False, True], ids=["pending", "sent"])
def test_the_reset_link_never_reaches_an_outbox_reader(
    client, superuser, outbox_reader, django_capture_on_commit_callbacks, sent
):
    request_reset(django_capture_on_commit_callbacks, send=sent)
    message = OutboxMessage.objects.get(recipient=ADMIN_EMAIL)

    pages = admin_pages(outbox_reader, message)

    for html in pages:
        assert "/accounts/password/reset/key/" not in html
    assert "hidden" in pages[1].lower()
    if sent:
        link = RESET_LINK.search(mail.outbox[0].body).group(0)
        key = link.rstrip("/").rsplit("/", 1)[-1]
        assert all(key not in html for html in pages)
        # Only the owner of the address can follow it: the link works for them.
        assert client.get(link, follow=True).status_code == 200


def test_the_secret_is_not_in_the_database_in_readable_form(
    superuser, django_capture_on_commit_callbacks
):
    request_reset(django_capture_on_commit_callbacks, send=False)
    message = OutboxMessage.objects.get(recipient=ADMIN_EMAIL)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body_text || body_html FROM outbox_outboxmessage WHERE id = %s", [message.pk]
        )
        stored = cursor.fetchone()[0]

    assert message.is_secret
    assert "/accounts/password/reset/key/" not in stored
    assert sealing.is_sealed(message.body_text) and sealing.is_sealed(message.body_html)
    # The worker opens it to send it: the owner still gets a working link.
    email = services.build_email(message=message)
    assert RESET_LINK.search(email.body)


def test_a_sent_secret_message_keeps_no_body(superuser, django_capture_on_commit_callbacks):
    request_reset(django_capture_on_commit_callbacks, send=True)

    message = OutboxMessage.objects.get(recipient=ADMIN_EMAIL)

    assert message.status == OutboxMessage.Status.SENT
    assert (message.body_text, message.body_html) == ("", "")
    assert message.body_purged_at is not None
    assert len(mail.outbox) == 1


def test_invitation_links_are_secret_too(outbox_reader, django_capture_on_commit_callbacks):
    from participants.registration.services.invitations import send_invitation

    invitation = InvitationFactory()
    with django_capture_on_commit_callbacks(execute=False):
        send_invitation(invitation=invitation)
    message = OutboxMessage.objects.get(kind="invitation")

    pages = admin_pages(outbox_reader, message)

    assert message.is_secret
    assert all(invitation.token not in html for html in pages)
    assert invitation.token not in message.body_text + message.body_html


def test_unsubscribe_links_are_masked_in_the_admin(outbox_reader):
    message = services.queue_email(
        recipient="delegate@example.org",
        kind="daily_digest",
        object_key="day:1",
        template="outbox_test",
        context={"name": "Delegate Example", "thing": "testing"},
        unsubscribe_url="http://127.0.0.1:8000/me/notifications/unsubscribe/SIGNED-TOKEN/",
    )

    html = admin_pages(outbox_reader, message)[1]

    assert "Delegate Example" in html  # a non-secret body is shown
    assert "SIGNED-TOKEN" not in html


def sent_message(days_ago: int, **fields) -> OutboxMessage:
    message = services.queue_email(
        recipient=fields.pop("recipient", "delegate@example.org"),
        kind=fields.pop("kind", "daily_digest"),
        object_key=fields.pop("object_key", f"day:{days_ago}"),
        template="outbox_test",
        context={"name": "Delegate Example", "thing": "testing"},
    )
    moment = clock.now() - timedelta(days=days_ago)
    status = fields.pop("status", OutboxMessage.Status.SENT)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, sent_at=moment if status == "sent" else None, created_at=moment, **fields
    )
    message.refresh_from_db()
    return message


def test_bodies_are_purged_after_the_retention_and_nothing_is_sent_again(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_BODY_RETENTION_DAYS = 30
    old = sent_message(31)
    recent = sent_message(29)
    old_failed = sent_message(40, status=OutboxMessage.Status.FAILED, attempts=5)
    waiting = sent_message(45, status=OutboxMessage.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        purged = services.purge_message_bodies()
        assert services.purge_message_bodies() == 0  # idempotent
        services.sweep_outbox()
        assert services.resend_message(message=old_failed) is False

    assert purged == 2
    for message in (old, recent, old_failed, waiting):
        message.refresh_from_db()
    assert (old.body_text, old.body_html, old.unsubscribe_url) == ("", "", "")
    assert old.body_purged_at is not None and old.status == "sent"
    assert recent.body_text and recent.body_purged_at is None
    assert old_failed.body_text == "" and old_failed.status == "failed"
    # A message not yet delivered keeps its body whatever its age: it is sent once.
    assert waiting.body_text and waiting.status == "sent"
    assert [m.to for m in mail.outbox] == [["delegate@example.org"]]


def test_the_purge_runs_from_beat():
    from django.conf import settings

    from sanjose.celery import app as celery_app

    tasks = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "sanjose.outbox.tasks.task_purge_outbox_bodies" in tasks
    assert "sanjose.outbox.tasks.task_purge_outbox_bodies" in celery_app.tasks
