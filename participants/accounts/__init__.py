"""Accounts: sign-up and sign-in (allauth's adapter and form), the user and email-address admins."""
