"""The participants admin, one module per area (profiles, registrations, groups, …)."""

from . import announcements, attendance, groups, profiles, registrations, worldcafe  # noqa: F401
