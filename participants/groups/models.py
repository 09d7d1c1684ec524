"""Working groups and closed groups, their members and topic preferences.

The World Café: tables with a host and a topic, and who sits where in each round.
"""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from participants.registration.models import Registration
from sanjose.i18n import Translated, translated_property


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


class WorldCafe(models.Model):
    session = models.OneToOneField(
        "events.Session",
        on_delete=models.CASCADE,
        related_name="world_cafe",
        verbose_name=_("session"),
    )
    rounds = models.PositiveSmallIntegerField(_("rounds"), default=3)
    round_minutes = models.PositiveSmallIntegerField(_("minutes per round"), default=20)
    published_at = models.DateTimeField(_("plan published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("World Café")
        verbose_name_plural = _("World Cafés")

    def __str__(self) -> str:
        return str(self.session)


class WorldCafeTable(models.Model):
    cafe = models.ForeignKey(
        WorldCafe, on_delete=models.CASCADE, related_name="tables", verbose_name=_("cafe")
    )
    number = models.PositiveSmallIntegerField(_("table number"))
    topic_en = models.CharField(_("topic (English)"), max_length=250)
    topic_es = models.CharField(_("topic (Spanish)"), max_length=250, blank=True)
    host = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_tables",
        verbose_name=_("host"),
    )

    topic = Translated("topic")

    class Meta:
        ordering = ["cafe", "number"]
        verbose_name = _("World Café table")
        verbose_name_plural = _("World Café tables")
        constraints = [
            models.UniqueConstraint(fields=["cafe", "number"], name="unique_table_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.topic}"


class WorldCafeSeatQuerySet(models.QuerySet):
    def counting(self) -> "WorldCafeSeatQuerySet":
        """Seats of people who are participants of the café's event (approved on a type
        that grants participant access), the rule of `Membership.objects.counting`: a
        person who cancels or is declined after the plan was computed has no table, on
        /me/, in the schedule, the feed, the emails, on the host's list or in the staff's
        plan. A table's host keeps their seat at it: the table names them until staff
        choose another host."""
        admitted = Registration.objects.admitting_participants().filter(
            participant_id=OuterRef("participant_id"), event_id=OuterRef("cafe__session__event_id")
        )
        return self.filter(Exists(admitted) | Q(participant_id=F("table__host_id")))


class WorldCafeSeat(models.Model):
    cafe = models.ForeignKey(
        WorldCafe, on_delete=models.CASCADE, related_name="seats", verbose_name=_("cafe")
    )
    round_number = models.PositiveSmallIntegerField(_("round"))
    table = models.ForeignKey(
        WorldCafeTable, on_delete=models.CASCADE, related_name="seats", verbose_name=_("table")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="cafe_seats",
        verbose_name=_("participant"),
    )

    objects = WorldCafeSeatQuerySet.as_manager()

    class Meta:
        ordering = ["cafe", "round_number", "table__number"]
        verbose_name = _("World Café seat")
        verbose_name_plural = _("World Café seats")
        constraints = [
            models.UniqueConstraint(
                fields=["cafe", "round_number", "participant"], name="one_seat_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: round {self.round_number}, table {self.table.number}"
