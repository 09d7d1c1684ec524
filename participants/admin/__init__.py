"""The participants admin, one module per area (profiles, registrations, groups, …)."""

from . import (  # noqa: F401
    accounts,
    announcements,
    attendance,
    certificates,
    groups,
    jobs,
    profiles,
    registrations,
    worldcafe,
)
