from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0004_session_signup_counters")]

    operations = [
        migrations.RenameField("event", "name", "name_en"),
        migrations.RenameField("event", "venue", "venue_en"),
        migrations.AlterField(
            "event", "name_en", models.CharField(max_length=200, verbose_name="name (English)")
        ),
        migrations.AlterField(
            "event",
            "venue_en",
            models.CharField(blank=True, max_length=200, verbose_name="venue (English)"),
        ),
        migrations.AddField(
            "event",
            "name_es",
            models.CharField(blank=True, max_length=200, verbose_name="name (Spanish)"),
        ),
        migrations.AddField(
            "event",
            "venue_es",
            models.CharField(blank=True, max_length=200, verbose_name="venue (Spanish)"),
        ),
    ]
