"""Working groups and closed groups, their members and topic preferences."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sanjose.i18n import Translated, translated_property

from .registrations import Registration


class Group(models.Model):
    class Kind(models.TextChoices):
        WORKING = "working", _("Working group")
        CLOSED = "closed", _("Closed group")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="groups", verbose_name=_("event")
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    topic_en = models.TextField(_("topic (English)"), blank=True)
    topic_es = models.TextField(_("topic (Spanish)"), blank=True)
    facilitator = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_groups",
        verbose_name=_("facilitator"),
    )
    room = models.ForeignKey(
        "events.Room",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("room"),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    # Language codes (as in Participant.languages_spoken). A member must share a language
    # with the group or with its interpreting; the assignment keeps to that rule.
    working_languages = models.JSONField(
        _("working languages"),
        default=list,
        blank=True,
        help_text=_("Empty: the language most participants speak."),
    )
    interpreter_languages = models.JSONField(
        _("interpreting languages"),
        default=list,
        blank=True,
        help_text=_("Languages interpreted to and from the working languages, if any."),
    )
    # Working-group assignments become visible (and notified) when staff publish them;
    # closed groups count as soon as staff add members.
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    name = translated_property("name")
    topic = Translated("topic")

    class Meta:
        ordering = ["event", "kind", "name_en"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["event", "name_en"], name="unique_group_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_interpreter(self) -> bool:
        return bool(self.interpreter_languages)


class MembershipQuerySet(models.QuerySet):
    def counting(self) -> "MembershipQuerySet":
        """Memberships that grant access: closed groups, and published working groups, of
        members whose registration for the group's event is approved on a type that grants
        participant access (a cancelled, declined or open-day-only member has no group).
        Never a draft of a re-proposed assignment."""
        admitted = Registration.objects.admitting_participants().filter(
            participant_id=OuterRef("participant_id"), event_id=OuterRef("group__event_id")
        )
        return (
            self.filter(is_draft=False)
            .filter(Q(group__kind=Group.Kind.CLOSED) | Q(group__is_published=True))
            .filter(Exists(admitted))
        )


class LiveMembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    """The default: live memberships only. A re-proposed working-group assignment is
    written as drafts, which nobody sees (no page, export, feed or access rule) until
    staff publish it; only the assignment workflow reads them (`Membership.with_drafts`)."""

    def get_queryset(self) -> MembershipQuerySet:
        return super().get_queryset().filter(is_draft=False)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FACILITATOR = "facilitator", _("Facilitator")
        RAPPORTEUR = "rapporteur", _("Rapporteur")

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("participant"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Re-running the assignment keeps this person here.")
    )
    is_draft = models.BooleanField(_("proposed, not yet published"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = LiveMembershipManager()
    with_drafts = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "participant__badge_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "group", "is_draft"], name="one_membership_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} in {self.group}"


class TopicPreference(models.Model):
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="topic_preferences",
        verbose_name=_("participant"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("group")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["participant", "rank"]
        verbose_name = _("topic preference")
        verbose_name_plural = _("topic preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "group"], name="one_preference_per_group"
            ),
            models.UniqueConstraint(fields=["participant", "rank"], name="one_group_per_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.rank}. {self.group}"
