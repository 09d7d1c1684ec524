"""The staff roles (organiser, registration desk, content editor, viewer) as groups."""

from django.db import migrations

from participants.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("participants", "0019_staff_permissions"),
        ("documents", "0009_staff_permissions"),
        ("events", "0002_initial"),
        ("outbox", "0002_delivery_and_session_notices"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
