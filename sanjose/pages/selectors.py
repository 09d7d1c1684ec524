"""Read queries for the policy pages."""

from sanjose import clock
from sanjose.pages.models import PolicyVersion


def published_versions(*, kind: str) -> list[PolicyVersion]:
    """Every published version of `kind`, newest first (the first is in force)."""
    return list(PolicyVersion.objects.filter(kind=kind).published(at=clock.now()))
