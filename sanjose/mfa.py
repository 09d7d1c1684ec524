"""Two-factor authentication for staff (allauth's MFA: TOTP and recovery codes).

A staff account reaches the admin and the /staff/ pages only with an activated
authenticator app and after passing the two-factor step in this session: without one it
is sent to set one up, with one it is asked for a code first (allauth's reauthentication
page, which records the step in the session as the login does).
"""

import io
from urllib.parse import urlencode

import segno
from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from sanjose import sealing

# The pages behind the two-factor step (docs/architecture.md, the URLs): the admin, the staff pages.
PROTECTED_PREFIXES = ("/admin/", "/staff/")
# Leaving is always allowed.
OPEN_PATHS = ("/admin/logout/",)


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """The QR code with segno (already used for badges), so no second QR library."""
        buffer = io.BytesIO()
        segno.make(url, micro=False).save(buffer, kind="svg", scale=4, xmldecl=False)
        return buffer.getvalue().decode("utf-8")

    # TOTP secrets and the recovery codes' seed are sealed in the database
    # (sanjose/sealing.py), so the authenticator table alone opens no account.
    def encrypt(self, text: str) -> str:
        return sealing.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return sealing.unseal(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep their second factor (they may add recovery codes or a new app)."""
        return not authenticator.user.is_staff


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def passed_two_factor(request: HttpRequest) -> bool:
    """Whether this session's user gave a TOTP or recovery code since signing in."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def needs_two_factor(path: str) -> bool:
    return path.startswith(PROTECTED_PREFIXES) and not path.startswith(OPEN_PATHS)


class StaffTwoFactorMiddleware:
    """Send a staff account to set up or pass two-factor authentication before the admin
    or the staff pages (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        is_staff = user is not None and user.is_authenticated and user.is_staff
        if is_staff and needs_two_factor(request.path_info):
            redirect = self._step_needed(request)
            if redirect is not None:
                return redirect
        return self.get_response(request)

    def _step_needed(self, request: HttpRequest) -> HttpResponse | None:
        # The session answers first (no query on every staff page): a code was given.
        if passed_two_factor(request):
            return None
        target = "mfa_reauthenticate" if has_authenticator(request.user) else "mfa_activate_totp"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")
