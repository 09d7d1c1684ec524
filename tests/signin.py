"""Signing staff in, in tests: a session as the real login flow leaves it."""


def sign_in_staff(client, user):
    """Log `user` in on `client` (Django's test client) and return the client."""
    client.force_login(user)
    return client
