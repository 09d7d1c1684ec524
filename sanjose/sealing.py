"""Sealed text: secrets the database keeps but nobody reading it (staff in the admin, a
backup, an SQL console) can use: the bodies of emails that carry a one-time link or code,
the staff's TOTP secrets.

Authenticated encryption (Fernet: AES-128-CBC with HMAC-SHA256) under a key derived from
SECRET_KEY for this one purpose; SECRET_KEY_FALLBACKS still open what older keys sealed,
so rotating the secret key does not strand a pending email.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "sealed:"


class SealError(ValueError):
    """The text was sealed under a key this site no longer has, or was altered."""


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"sanjose.sealing.v1:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def seal(text: str) -> str:
    """`text` encrypted and authenticated, as printable text; "" stays ""."""
    if not text:
        return ""
    return PREFIX + _keys().encrypt(text.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The text `seal` was given; text that was never sealed comes back as it is."""
    if not sealed.startswith(PREFIX):
        return sealed
    try:
        return _keys().decrypt(sealed.removeprefix(PREFIX).encode("ascii")).decode()
    except InvalidToken:
        raise SealError("sealed text cannot be opened with this site's keys") from None


def is_sealed(text: str) -> bool:
    return text.startswith(PREFIX)
