"""Who is looking: the facts every access rule needs, read once per request.

Sessions (`Session.objects.visible_to`) and documents (`Document.objects.visible_to`,
`Document.can_download`) decide from a `Viewer`, so the agenda, the library, search,
feeds and exports apply the same rule (DESIGN.md, "Access rules").
"""

from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class Viewer:
    is_authenticated: bool = False
    is_staff: bool = False
    # Staff-only documents follow a permission, not is_staff alone (participants/roles.py).
    can_see_staff_documents: bool = False
    user_id: int | None = None
    participant_id: int | None = None
    approved_event_ids: frozenset[int] = field(default_factory=frozenset)
    group_ids: frozenset[int] = field(default_factory=frozenset)

    def is_approved_for(self, event_id: int) -> bool:
        return self.is_staff or event_id in self.approved_event_ids

    def is_member_of_any(self, group_ids) -> bool:
        return bool(self.group_ids.intersection(group_ids))


ANONYMOUS = Viewer()


def viewer_for(user) -> Viewer:
    """The viewer for a user (or AnonymousUser); two queries at most, cached on the user."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_sanjose_viewer", None)
    if cached is not None:
        return cached
    viewer = _build_viewer(user)
    user._sanjose_viewer = viewer
    return viewer


def _build_viewer(user) -> Viewer:
    Participant = apps.get_model("participants", "Participant")
    Registration = apps.get_model("participants", "Registration")
    Membership = apps.get_model("participants", "Membership")
    participant_id = (
        Participant.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    )
    approved: frozenset[int] = frozenset()
    groups: frozenset[int] = frozenset()
    if participant_id is not None:
        approved = frozenset(
            Registration.objects.filter(
                participant_id=participant_id, status=Registration.Status.APPROVED
            ).values_list("event_id", flat=True)
        )
        groups = frozenset(
            Membership.objects.counting()
            .filter(participant_id=participant_id)
            .values_list("group_id", flat=True)
        )
    return Viewer(
        is_authenticated=True,
        is_staff=bool(user.is_staff),
        can_see_staff_documents=bool(
            user.is_staff and user.has_perm("documents.view_staff_documents")
        ),
        user_id=user.pk,
        participant_id=participant_id,
        approved_event_ids=approved,
        group_ids=groups,
    )


def forget_viewer(user) -> None:
    """Drop the cached viewer after a change to the user's registration or groups."""
    if hasattr(user, "_sanjose_viewer"):
        del user._sanjose_viewer
