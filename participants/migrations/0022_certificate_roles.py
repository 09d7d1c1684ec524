"""Certificates and letters in the staff roles: templates for content editors and
organisers, issued ones and letter requests (passport details) for organisers only."""

from django.db import migrations

from participants.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0021_audit_log"),
        ("documents", "0009_staff_permissions"),
        ("events", "0004_session_signup_counters"),
        ("outbox", "0004_secret_bodies"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
