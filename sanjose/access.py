"""Who is looking: the facts every access rule needs, read once per request.

Sessions (`Session.objects.visible_to`) and documents (`Document.objects.visible_to`,
`Document.can_download`) decide from a `Viewer`, so the agenda, the library, search,
feeds, the personal schedule, /me/ and the emails apply the same rule
(docs/architecture.md, "The access rule").

What an approved registration admits depends on its type
(`RegistrationType.grants_participant_access`):

- a type that grants it (the full Dialogue) makes the viewer a *participant* of the
  event: participant sessions and documents, closed meetings as bare slots, and the
  content of the groups they belong to;
- a type that does not (the open day) makes them a *guest*: the public content only, and
  in their own schedule, calendar feed and emails only the public sessions of the days
  the type admits.

A group membership counts only for a participant of the group's event
(`Membership.objects.counting`): a member who cancels, is declined or is only a guest
loses the group's content with it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Viewer:
    is_authenticated: bool = False
    is_staff: bool = False
    # Staff-only documents follow a permission, not is_staff alone (participants/roles.py).
    can_see_staff_documents: bool = False
    user_id: int | None = None
    participant_id: int | None = None
    # Events where the viewer's registration is approved on a type granting participant access.
    approved_event_ids: frozenset[int] = frozenset()
    # Events where it is approved on a type that does not (open-day guests), and the days
    # those types admit.
    guest_event_ids: frozenset[int] = frozenset()
    guest_day_ids: frozenset[int] = frozenset()
    # Groups whose membership counts (closed groups, published working groups, at events
    # in approved_event_ids).
    group_ids: frozenset[int] = frozenset()

    def is_approved_for(self, event_id: int) -> bool:
        """Whether the viewer may see the event's participant content."""
        return self.is_staff or event_id in self.approved_event_ids

    def is_guest_at(self, event_id: int) -> bool:
        return event_id in self.guest_event_ids

    def schedule_day_ids(self, event_id: int) -> frozenset[int] | None:
        """The days of the event whose sessions may be in this person's own schedule:
        None for every day, the admitted days for a guest."""
        if self.is_approved_for(event_id) or not self.is_guest_at(event_id):
            return None
        return self.guest_day_ids

    @property
    def sees_only_public(self) -> bool:
        """Whether the viewer sees exactly what an anonymous visitor sees."""
        return not (self.is_staff or self.approved_event_ids or self.group_ids)

    def kind(
        self, *, event_id: int | None = None, group_ids: Iterable[int] | None = None
    ) -> "Viewer":
        """This viewer without its person: every right the access rule reads, no user or
        participant id, so people with the same rights share one answer (an email's
        audience asks the rule once per kind of viewer, not once per person). Narrowed,
        when given, to one event and to the groups that can change the answer."""
        kind = replace(self, user_id=None, participant_id=None)
        if event_id is not None:
            kind = replace(
                kind,
                approved_event_ids=kind.approved_event_ids & {event_id},
                guest_event_ids=kind.guest_event_ids & {event_id},
            )
        if group_ids is not None:
            kind = replace(kind, group_ids=kind.group_ids & frozenset(group_ids))
        return kind

    def audience_key(self) -> tuple:
        """A hashable, stable key for what the viewer may see: two viewers with the same
        key see the same content (anonymous / signed in without access / guest of events
        and days / participant of events / groups / staff); for caches shared between
        viewers. It holds no personal data, only ids of events, days and groups."""
        if self.is_staff:
            return ("staff", self.can_see_staff_documents)
        if not self.is_authenticated:
            return ("anonymous",)
        return (
            "account",
            tuple(sorted(self.approved_event_ids)),
            tuple(sorted(self.guest_event_ids)),
            tuple(sorted(self.guest_day_ids)),
            tuple(sorted(self.group_ids)),
        )


ANONYMOUS = Viewer()

# Who counts as what is read from participants' rows (registrations, groups); the project
# package knows no app, so participants tells this module how (participants/viewers.py).
_builder: Callable[[object], Viewer] | None = None


def set_viewer_builder(build: Callable[[object], Viewer]) -> None:
    """How a signed-in user's Viewer is built (participants' AppConfig.ready)."""
    global _builder
    _builder = build


def _build(user) -> Viewer:
    if _builder is None:  # no app registered one: an account with no rights
        return Viewer(is_authenticated=True, is_staff=bool(user.is_staff), user_id=user.pk)
    return _builder(user)


def viewer_for(user) -> Viewer:
    """The viewer for a user (or AnonymousUser); three queries at most (four for a guest
    whose type names no days), cached on the user and in the page cache per content
    version (a change to a registration or a group is a new version), so signed-in
    pages do not ask again on every request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_sanjose_viewer", None)
    if cached is not None:
        return cached
    from sanjose.pagecache import digest, get_or_build

    key = "viewer:" + digest(user.pk, bool(user.is_staff))
    viewer = get_or_build(key, lambda: _build(user))
    user._sanjose_viewer = viewer
    return viewer


def forget_viewer(user) -> None:
    """Drop the cached viewer after a change to the user's registration or groups."""
    if hasattr(user, "_sanjose_viewer"):
        del user._sanjose_viewer
