import secrets

from django.db import migrations, models

import participants.registration.models

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def fill_desk_codes(apps, schema_editor):
    Registration = apps.get_model("participants", "Registration")
    taken = set()
    for registration in Registration.objects.only("pk").iterator():
        code = ""
        while not code or code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        taken.add(code)
        Registration.objects.filter(pk=registration.pk).update(desk_code=code)


class Migration(migrations.Migration):
    dependencies = [("participants", "0013_certificates")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="desk_code",
            field=models.CharField(editable=False, max_length=8, null=True),
        ),
        migrations.RunPython(fill_desk_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="desk_code",
            field=models.CharField(
                default=participants.registration.models.new_desk_code,
                editable=False,
                max_length=8,
                unique=True,
                verbose_name="desk code",
            ),
        ),
    ]
