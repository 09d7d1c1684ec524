"""The outbox: one row per email, claimed before sending, never lost, never doubled."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sanjose.celery import app as celery_app
from sanjose.outbox import services
from sanjose.outbox.models import OutboxMessage
from sanjose.outbox.tasks import task_send_message, task_sweep_outbox
from tests.factories import UserFactory
from tests.signin import sign_in_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_email_templates")]


def queue(recipient: str = "delegate@example.org", **fields) -> OutboxMessage | None:
    return services.queue_email(
        recipient=recipient,
        kind=fields.pop("kind", "test_kind"),
        object_key=fields.pop("object_key", "thing:1"),
        template="outbox_test",
        context={"name": "Delegate Example 1", "thing": "testing"},
        **fields,
    )


@pytest.fixture
def clock_at(monkeypatch):
    def move(moment):
        monkeypatch.setattr("sanjose.clock.now", lambda: moment)

    return move


class FailingBackend:
    """An SMTP server that refuses everything."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_the_same_key_queues_one_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
        second = queue()

    assert first is not None
    assert second is None
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with services.transaction.atomic():
                queue()
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_every_email_has_the_preferences_link_and_optional_ones_unsubscribe(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        plain = queue(object_key="thing:1")
        optional = queue(object_key="thing:2", unsubscribe_url="http://x.test/u/abc/")

    assert "/me/notifications/" in plain.body_text
    assert "/me/notifications/" in plain.body_html
    assert "Stop emails like this one" not in plain.body_text
    assert "http://x.test/u/abc/" in optional.body_text
    assert "http://x.test/u/abc/" in optional.body_html
    sent_plain, sent_optional = mail.outbox
    assert "List-Unsubscribe" not in sent_plain.extra_headers
    assert sent_optional.extra_headers["List-Unsubscribe"] == "<http://x.test/u/abc/>"
    assert sent_optional.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent_optional.extra_headers["Message-ID"] == f"<outbox-{optional.pk}@sanjose-dialogue>"
    assert sent_optional.alternatives[0].mimetype == "text/html"


def test_a_duplicated_task_sends_once():
    message = queue()

    task_send_message.delay(message.pk)
    task_send_message.delay(message.pk)

    message.refresh_from_db()
    assert len(mail.outbox) == 1
    assert (message.status, message.attempts) == ("sent", 1)
    assert message.sent_at is not None


def test_a_claimed_message_cannot_be_claimed_again():
    message = queue()

    assert services.claim_message(message_id=message.pk) is not None
    assert services.claim_message(message_id=message.pk) is None


def test_a_smtp_error_leaves_it_pending_with_the_error(settings):
    settings.EMAIL_BACKEND = "tests.sanjose.test_outbox.FailingBackend"
    message = queue()
    claimed = services.claim_message(message_id=message.pk)

    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.deliver_message(message=claimed)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"


def test_the_task_retries_until_attempts_run_out_then_fails(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.sanjose.test_outbox.FailingBackend"
    # Inline, each retry runs at once instead of after its backoff.
    monkeypatch.setattr(celery_app.conf, "task_eager_propagates", False)
    message = queue()

    task_send_message.delay(message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert "SMTPServerDisconnected" in message.last_error
    assert mail.outbox == []


def test_the_sweep_settles_a_row_whose_worker_died_and_sends_it(
    clock_at, django_capture_on_commit_callbacks
):
    message = queue()
    now = timezone.now()
    clock_at(now)
    services.claim_message(message_id=message.pk)  # the worker dies here
    clock_at(now + timedelta(minutes=1))
    assert task_sweep_outbox.delay().get() == {"failed": 0, "settled": 0, "requeued": 0}

    clock_at(now + services.SENDING_STALE_AFTER + timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        swept = services.sweep_outbox()

    message.refresh_from_db()
    assert swept == {"failed": 0, "settled": 1, "requeued": 1}
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_the_sweep_requeues_a_pending_row_no_task_took(
    clock_at, django_capture_on_commit_callbacks
):
    message = queue()  # its broker message is lost: no on-commit callback runs
    clock_at(timezone.now() + services.PENDING_STALE_AFTER + timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_outbox()["requeued"] == 1

    message.refresh_from_db()
    assert message.status == "sent"
    assert len(mail.outbox) == 1


def test_a_message_that_keeps_killing_its_worker_ends_failed(clock_at):
    message = queue()
    now = timezone.now()
    for attempt in range(services.MAX_ATTEMPTS):
        now += services.SENDING_STALE_AFTER + timedelta(seconds=1)
        clock_at(now)
        assert services.claim_message(message_id=message.pk) is not None, attempt
        now += services.SENDING_STALE_AFTER + timedelta(seconds=1)
        clock_at(now)
        services.sweep_outbox()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert message.last_error.startswith("Gave up")
    assert services.claim_message(message_id=message.pk) is None


def test_resend_gives_a_failed_message_new_attempts(django_capture_on_commit_callbacks):
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(status="failed", attempts=5)
    sent = queue(object_key="thing:2")
    OutboxMessage.objects.filter(pk=sent.pk).update(status="sent")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.resend_message(message=message) is True
        assert services.resend_message(message=sent) is False

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1


def test_staff_resend_failed_messages_from_the_admin(client, django_capture_on_commit_callbacks):
    sign_in_staff(client, UserFactory(is_staff=True, is_superuser=True))
    failed = queue()
    OutboxMessage.objects.filter(pk=failed.pk).update(status="failed", attempts=5)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:outbox_outboxmessage_changelist"),
            {"action": "resend", "_selected_action": [failed.pk]},
            follow=True,
        )

    assert "1 message queued again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "sent"


def test_the_admin_filters_by_kind_and_state(client):
    sign_in_staff(client, UserFactory(is_staff=True, is_superuser=True))
    queue(kind="daily_digest", object_key="day:1")
    queue(kind="session_reminder", object_key="session:1")

    response = client.get(
        reverse("admin:outbox_outboxmessage_changelist"),
        {"kind": "daily_digest", "status__exact": "pending"},
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_the_text_part_is_not_html_escaped():
    message = services.queue_email(
        recipient="delegate@example.org",
        kind="test_kind",
        object_key="thing:1",
        template="outbox_test",
        context={"name": "O'Brien & Co", "thing": "Q&A <live>"},
    )

    assert message.subject == "Test message about Q&A <live>"
    assert "Hello O'Brien & Co, this is about Q&A <live>." in message.body_text
    assert "Hello O&#x27;Brien &amp; Co, this is about Q&amp;A &lt;live&gt;." in message.body_html
