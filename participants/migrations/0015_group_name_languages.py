from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("participants", "0014_registration_desk_code")]

    operations = [
        migrations.RemoveConstraint(model_name="group", name="unique_group_name"),
        migrations.RenameField("group", "name", "name_en"),
        migrations.AlterField(
            "group", "name_en", models.CharField(max_length=200, verbose_name="name (English)")
        ),
        migrations.AddField(
            "group",
            "name_es",
            models.CharField(blank=True, max_length=200, verbose_name="name (Spanish)"),
        ),
        migrations.AlterModelOptions(
            name="group",
            options={
                "ordering": ["event", "kind", "name_en"],
                "verbose_name": "group",
                "verbose_name_plural": "groups",
            },
        ),
        migrations.AddConstraint(
            model_name="group",
            constraint=models.UniqueConstraint(
                fields=("event", "name_en"), name="unique_group_name"
            ),
        ),
    ]
