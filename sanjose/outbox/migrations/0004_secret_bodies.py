"""Messages with one-time links or codes: a flag, sealed bodies, bodies dropped once sent.

Rows written before this migration: account messages (allauth's sign-in, confirmation,
reset and email-change links) and invitations become secret; those already sent or
failed lose their body, those still waiting are sealed.
"""

from django.db import migrations, models
from django.utils import timezone

SECRET_KINDS = ["account", "invitation"]


def seal_existing(apps, schema_editor):
    from sanjose import sealing

    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    secret = OutboxMessage.objects.filter(kind__in=SECRET_KINDS)
    secret.filter(status__in=["sent", "failed"]).update(
        is_secret=True, body_text="", body_html="", body_purged_at=timezone.now()
    )
    for message in secret.filter(status__in=["pending", "sending"]).iterator():
        message.is_secret = True
        message.body_text = sealing.seal(message.body_text)
        message.body_html = sealing.seal(message.body_html)
        message.save(update_fields=["is_secret", "body_text", "body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0003_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="body_purged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="body removed at"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="is_secret",
            field=models.BooleanField(default=False, verbose_name="carries a secret link or code"),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
