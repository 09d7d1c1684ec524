"""The versions of the texts a participant agrees to.

The texts are pages of the site (sanjose.pages.PolicyVersion, edited in the admin); the
newest published version of each is the one in force. Publishing a new version asks
everyone to agree again on their next visit to the profile. Before any version is
published (a fresh database), the versions below are in force, so that consent still
names what was agreed to; `load_demo` publishes these same versions.
"""

from dataclasses import dataclass

from sanjose import clock
from sanjose.pages.models import PolicyVersion

PRIVACY_NOTICE_VERSION = "2024-05"
CODE_OF_CONDUCT_VERSION = "2024-05"

FALLBACK_VERSIONS = {
    PolicyVersion.Kind.PRIVACY: PRIVACY_NOTICE_VERSION,
    PolicyVersion.Kind.CONDUCT: CODE_OF_CONDUCT_VERSION,
}


@dataclass(frozen=True)
class CurrentVersions:
    privacy: str
    conduct: str


def current_policy(kind: str) -> PolicyVersion | None:
    """The version of `kind` in force now (the newest published), or None before any."""
    return PolicyVersion.objects.filter(kind=kind).published(at=clock.now()).first()


def current_versions() -> CurrentVersions:
    """The version strings in force now, for both texts, in one query."""
    found = dict(FALLBACK_VERSIONS)
    seen = set()
    rows = (
        PolicyVersion.objects.published(at=clock.now())
        .order_by("kind", "-published_at", "-pk")
        .values_list("kind", "version")
    )
    for kind, version in rows:
        if kind not in seen:
            found[kind], seen = version, seen | {kind}
    return CurrentVersions(
        privacy=found[PolicyVersion.Kind.PRIVACY], conduct=found[PolicyVersion.Kind.CONDUCT]
    )
