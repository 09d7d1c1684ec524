"""Create (or refresh) the San José Dialogue demo from its data files (demo/*.toml):
the programme, people, groups, documents, laid through the apps' services."""

import base64
import secrets
from datetime import date
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import documents.demo
import events.demo
import participants.demo
import sanjose.pages.demo
from sanjose.demodata import DemoDataError

ADMIN_EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = (
        "Load the San José Dialogue demo (idempotent). Prints the admin's credentials: "
        "password, authenticator-app secret and recovery codes (staff sign in with two factors)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--start",
            type=self.parse_start,
            default=None,
            help="First day as YYYY-MM-DD (default: the programme's own, the real 2024-06-03).",
        )
        parser.add_argument(
            "--data",
            type=Path,
            default=None,
            help="Folder of the demo's data files (default: demo/ in the project).",
        )
        parser.add_argument(
            "--admin-password",
            default="",
            help="Password for the admin account (default: a new random one, printed).",
        )
        parser.add_argument(
            "--admin-totp-secret",
            default="",
            type=self.parse_totp_secret,
            help="Base32 secret of the admin's authenticator app (default: a new one, printed).",
        )

    @staticmethod
    def parse_start(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--start must be a date as YYYY-MM-DD, not {value!r}.") from None

    @staticmethod
    def parse_totp_secret(value: str) -> str:
        secret = value.replace(" ", "").upper()
        try:
            if secret:
                base64.b32decode(secret)
        except ValueError:
            raise CommandError("--admin-totp-secret must be Base32 (A–Z, 2–7).") from None
        return secret

    def handle(
        self,
        *args,
        start: date | None,
        data: Path | None,
        admin_password: str,
        admin_totp_secret: str,
        **options,
    ):
        password = admin_password or secrets.token_urlsafe(12)
        totp_secret = admin_totp_secret or generate_totp_secret()
        try:
            with transaction.atomic():  # all or nothing: a refused entry leaves no trace
                event = events.demo.build(start=start, folder=data)
                participants.demo.build(event=event, folder=data)
                documents.demo.build(event=event, folder=data)
                sanjose.pages.demo.build()
                admin = self.ensure_admin(password)
                recovery_codes = self.ensure_two_factor(admin, totp_secret)
        except DemoDataError as error:
            raise CommandError(f"The demo was not loaded (nothing written): {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {event.name}, from {event.start_date}."))
        self.stdout.write(f"Admin sign-in: {ADMIN_EMAIL} / {password}  (at /admin/)")
        self.stdout.write(
            f"Then a code from an authenticator app set up with the key {totp_secret}\n"
            f"  ({get_mfa_adapter().build_totp_url(admin, totp_secret)})\n"
            f"  or one of the recovery codes (each works once): {' '.join(recovery_codes[:3])}"
        )

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
        return admin

    def ensure_two_factor(self, admin, totp_secret: str) -> list[str]:
        """A fresh authenticator app and recovery codes for the admin (staff need two
        factors for /admin/ and /staff/, sanjose/mfa.py); returns the recovery codes."""
        Authenticator.objects.filter(user=admin).delete()
        TOTP.activate(admin, totp_secret)
        return RecoveryCodes.activate(admin).generate_codes()
