"""Create (or refresh) the San José Dialogue demo: the programme, groups, documents."""

import secrets
from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import documents.demo
import events.demo
import participants.demo
import sanjose.pages.demo

ADMIN_EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = "Load the San José Dialogue demo (idempotent). Prints the admin's credentials."

    def add_arguments(self, parser):
        parser.add_argument(
            "--start",
            type=self.parse_start,
            default=events.demo.REAL_START,
            help="First day as YYYY-MM-DD (default: the real 2024-06-03).",
        )
        parser.add_argument(
            "--admin-password",
            default="",
            help="Password for the admin account (default: a new random one, printed).",
        )

    @staticmethod
    def parse_start(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--start must be a date as YYYY-MM-DD, not {value!r}.") from None

    def handle(self, *args, start: date, admin_password: str, **options):
        password = admin_password or secrets.token_urlsafe(12)
        with transaction.atomic():
            event = events.demo.build(start=start)
            participants.demo.build(event=event)
            documents.demo.build(event=event)
            sanjose.pages.demo.build()
            self.ensure_admin(password)
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {event.name}, from {event.start_date}."))
        self.stdout.write(f"Admin sign-in: {ADMIN_EMAIL} / {password}  (at /admin/)")

    def ensure_admin(self, password: str) -> None:
        User = get_user_model()
        admin, _ = User.objects.get_or_create(username="admin", defaults={"email": ADMIN_EMAIL})
        admin.email = ADMIN_EMAIL
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        EmailAddress.objects.update_or_create(
            user=admin, email=ADMIN_EMAIL, defaults={"verified": True, "primary": True}
        )
