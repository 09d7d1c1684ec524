"""Announcements: news for an event's audience, on /me/ and by email."""
