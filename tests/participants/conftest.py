import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories hash a password per user; the production hasher makes that ~1 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
