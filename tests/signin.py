"""Signing staff in, in tests: a session as the real login flow leaves it.

Staff pages and the admin ask for two-factor authentication (sanjose/mfa.py). A staff
test signs in with `sign_in_staff`: the account gets an authenticator app (a TOTP secret,
returned) and the session records a password and a TOTP step, as allauth's login does.
tests/sanjose/test_mfa.py goes through the real login with a real code instead.
"""

import base64
import hashlib
import hmac
import struct
import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt


def give_authenticator(user) -> str:
    """Activate an authenticator app for `user` (once); returns its TOTP secret."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in_staff(client, user, *, two_factor: bool = True):
    """Log `user` in on `client` (Django's test client); with `two_factor`, as someone who
    also gave a code from their authenticator app. Returns the client."""
    client.force_login(user)
    if two_factor:
        give_authenticator(user)
        session = client.session
        now = time.time()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()
    return client


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for `secret` now: RFC 6238 (SHA-1, 30 s,
    6 digits), written out here rather than borrowed from allauth."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
