"""Groups name their working languages and the languages their interpreting covers.

The old single working language is kept as a one-item list. The old "interpreter
available" flag named no language, so it cannot be carried over as one: such groups get
no interpreting languages, and the assignment review then flags the members who share no
language with the group until staff name what the interpreting covers.
"""

from django.db import migrations, models


def copy_language(apps, schema_editor):
    Group = apps.get_model("participants", "Group")
    for group in Group.objects.exclude(working_language=""):
        group.working_languages = [group.working_language]
        group.save(update_fields=["working_languages"])


def copy_back(apps, schema_editor):
    Group = apps.get_model("participants", "Group")
    for group in Group.objects.all():
        group.working_language = (group.working_languages or [""])[0]
        group.has_interpreter = bool(group.interpreter_languages)
        group.save(update_fields=["working_language", "has_interpreter"])


class Migration(migrations.Migration):
    dependencies = [("participants", "0006_registration_on_hold")]

    operations = [
        migrations.AddField(
            model_name="group",
            name="interpreter_languages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Languages interpreted to and from the working languages, if any.",
                verbose_name="interpreting languages",
            ),
        ),
        migrations.AddField(
            model_name="group",
            name="working_languages",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Empty: the language most participants speak.",
                verbose_name="working languages",
            ),
        ),
        migrations.RunPython(copy_language, copy_back),
        migrations.RemoveField(model_name="group", name="has_interpreter"),
        migrations.RemoveField(model_name="group", name="working_language"),
    ]
