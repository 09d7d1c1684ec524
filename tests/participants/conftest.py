import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories set a password per user; the real hasher makes 50 users take a minute."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
