"""Notifications: preferences, daily digests, reminders, change notices, emails."""
