"""A person at the event: the participant profile and the country-to-sub-region table.

Registration types, registrations (with their history) and invitations.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from sanjose.i18n import Translated
from sanjose.pages.models import PolicyVersion


class Sector(models.TextChoices):
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    GOVERNMENT = "government", _("Government")
    INTERNATIONAL_AGENCY = "international_agency", _("International agency")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class Subregion(models.TextChoices):
    NORTH_AMERICA = "north_america", _("North America")
    CENTRAL_AMERICA_MEXICO = "central_america_mexico", _("Central America and Mexico")
    CARIBBEAN = "caribbean", _("The Caribbean")
    SOUTH_AMERICA = "south_america", _("South America")
    OTHER = "other", _("Other regions")


class CountryRegion(models.Model):
    """Which sub-region a country counts in; loaded from shared data, editable by staff."""

    country = CountryField(_("country"), unique=True)
    subregion = models.CharField(_("sub-region"), max_length=30, choices=Subregion.choices)

    class Meta:
        ordering = ["subregion", "country"]
        verbose_name = _("country sub-region")
        verbose_name_plural = _("country sub-regions")

    def __str__(self) -> str:
        return f"{self.country.name}: {self.get_subregion_display()}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class ParticipantQuerySet(models.QuerySet):
    def photos_visible_to(self, user) -> "ParticipantQuerySet":
        """The people whose profile photo `user` may see: their own, and everyone's for
        staff whose role covers profiles (participants.view_participant). The one photo
        rule: the photo view and the admin's thumbnail column follow it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff and user.has_perm("participants.view_participant"):
            return self.exclude(photo="")
        return self.filter(user=user).exclude(photo="")


class Participant(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participant",
        verbose_name=_("user"),
    )
    badge_name = models.CharField(
        _("name on badge"), max_length=120, help_text=_("As it should appear on your badge.")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    country = CountryField(_("country"))
    # Derived from `country` through CountryRegion by the profile service, stored so that
    # filters, exports and group balancing can use it in SQL.
    subregion = models.CharField(
        _("sub-region"), max_length=30, choices=Subregion.choices, default=Subregion.OTHER
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    languages_spoken = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Language codes.")
    )
    # The participant directory is opt-in: listed since (the consent's time), or None.
    directory_listed_at = models.DateTimeField(
        _("listed in the participant directory since"), null=True, blank=True
    )
    directory_bio = models.CharField(_("short bio for the directory"), max_length=500, blank=True)
    directory_contact = models.CharField(
        _("contact shown in the directory"), max_length=200, blank=True
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="participants/photos/", blank=True)
    privacy_consent_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    privacy_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    conduct_consent_at = models.DateTimeField(
        _("code of conduct accepted at"), null=True, blank=True
    )
    conduct_version = models.CharField(_("code of conduct version"), max_length=20, blank=True)
    calendar_token = models.CharField(
        max_length=64,
        unique=True,
        default=new_calendar_token,
        editable=False,
        verbose_name=_("calendar token"),
    )
    wants_daily_digest = models.BooleanField(_("daily digest by email"), default=True)
    wants_session_reminders = models.BooleanField(_("session reminders by email"), default=False)
    reminder_minutes_before = models.PositiveSmallIntegerField(
        _("minutes before a session"), default=15
    )
    wants_schedule_changes = models.BooleanField(
        _("schedule changes and cancellations by email"), default=True
    )
    wants_new_material = models.BooleanField(
        _("new material for my sessions by email"), default=True
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["badge_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["country"]),
            models.Index(fields=["sector"]),
            models.Index(fields=["subregion"]),
        ]

    def __str__(self) -> str:
        return self.badge_name or self.user.email

    @property
    def email(self) -> str:
        return self.user.email


class ConsentRecord(models.Model):
    """One acceptance of one version of the privacy notice or code of conduct. Never
    edited: the profile holds the latest acceptance, these rows the history."""

    Text = PolicyVersion.Kind

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="consent_records"
    )
    text = models.CharField(_("text"), max_length=20, choices=PolicyVersion.Kind.choices)
    version = models.CharField(_("version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"))

    class Meta:
        ordering = ["participant", "-accepted_at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.get_text_display()} {self.version} at {self.accepted_at:%Y-%m-%d %H:%M}"


# No 0/O, 1/I/L: a code read aloud or typed from a phone's screen is not misread.
DESK_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DESK_CODE_LENGTH = 8


def new_desk_code() -> str:
    return "".join(secrets.choice(DESK_CODE_ALPHABET) for _ in range(DESK_CODE_LENGTH))


class RegistrationType(models.Model):
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="registration_types",
        verbose_name=_("event"),
    )
    slug = models.SlugField(_("slug"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    is_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_(
            "Public types take anyone, first come first served up to capacity; the others "
            "are by invitation or staff approval."
        ),
    )
    grants_participant_access = models.BooleanField(
        _("grants participant access"),
        default=False,
        help_text=_(
            "Tick for the types of the full Dialogue: once approved, these people see the "
            "participant sessions and documents, their groups' closed meetings and the whole "
            "programme in their schedule. Leave it unticked for the open day and other public "
            "types: their guests see only public content, and only the public sessions of the "
            "days attended in their schedule, calendar and emails."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    # Kept by the registration services with conditional UPDATEs; the check constraint
    # makes overbooking impossible even if two requests race.
    approved_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("approved count")
    )
    # The last waitlist ticket handed out for this type, raised with a conditional UPDATE
    # so that two simultaneous registrations never draw the same position.
    last_waitlist_position = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("last waitlist position")
    )
    days = models.ManyToManyField(
        "events.EventDay",
        blank=True,
        related_name="registration_types",
        verbose_name=_("days attended"),
        help_text=_(
            "The days this type admits. For a type without participant access, its guests' "
            "schedule holds the public sessions of these days (none chosen: the event's days "
            "open to the public)."
        ),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated("name")
    description = Translated("description")

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("registration type")
        verbose_name_plural = _("registration types")
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="unique_type_slug"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(approved_count__lte=F("capacity")),
                name="type_within_capacity",
                violation_error_message=_("This registration type is full."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.approved_count >= self.capacity

    def is_open_at(self, moment) -> bool:
        """Whether registration for this type is open at `moment` (its window, if any)."""
        if self.opens_at and moment < self.opens_at:
            return False
        return not (self.closes_at and moment >= self.closes_at)

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.approved_count, 0)


class RegistrationQuerySet(models.QuerySet):
    def approved(self) -> "RegistrationQuerySet":
        """Approved registrations, at any event and of any type (open-day guests too)."""
        return self.filter(status=self.model.Status.APPROVED)

    def approved_for(self, event) -> "RegistrationQuerySet":
        """Approved registrations for one event (an Event, its id or an OuterRef): the one
        way to write "approved for this event"."""
        return self.approved().filter(event=event)

    def active(self) -> "RegistrationQuerySet":
        """Registrations that still hold or wait for a place (not declined or cancelled)."""
        return self.exclude(status__in=["declined", "cancelled"])

    def admitting_participants(self) -> "RegistrationQuerySet":
        """Approved registrations whose type grants participant access: the ones that open
        participant content and make group memberships count (sanjose/access.py)."""
        return self.approved().filter(type__grants_participant_access=True)


class Registration(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("participant"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    type = models.ForeignKey(
        RegistrationType,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("registration type"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    # A staff hold is a decision deferred, not a wait for a free place: it has no position,
    # freed or added places never approve it, and its email says so.
    on_hold = models.BooleanField(
        _("held by staff"),
        default=False,
        help_text=_("Put on the waiting list by staff while places were free: not moved up."),
    )
    invitation = models.OneToOneField(
        "participants.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
        verbose_name=_("invitation"),
    )
    motivation = models.TextField(_("why you want to take part"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    check_in_secret = models.CharField(
        max_length=43,
        unique=True,
        default=secrets.token_urlsafe,
        editable=False,
        verbose_name=_("check in secret"),
    )
    # The short code printed under the badge's QR code, for the desk to type when the
    # camera cannot read it; renewed with the secret when a badge is revoked.
    desk_code = models.CharField(
        _("desk code"), max_length=8, unique=True, default=new_desk_code, editable=False
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        # Staff permissions with no model of their own (participants/roles.py).
        permissions = [
            ("view_dashboard", _("Can see the staff dashboard")),
            ("export_attendees", _("Can export lists of people")),
            ("use_checkin_desk", _("Can use the check-in desk")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "event"],
                name="one_registration_per_event",
                violation_error_message=_("You are already registered for this event."),
            ),
            models.UniqueConstraint(
                fields=["type", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="unique_waitlist_position",
            ),
            models.CheckConstraint(
                condition=Q(waitlist_position__isnull=True) | Q(status="waitlisted"),
                name="only_waitlisted_have_position",
            ),
            models.CheckConstraint(
                condition=Q(on_hold=False) | Q(status="waitlisted", waitlist_position__isnull=True),
                name="hold_is_waitlisted_without_position",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.participant} – {self.type} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("participants:me")

    @property
    def is_approved(self) -> bool:
        """The in-memory twin of `Registration.objects.approved()`."""
        return self.status == self.Status.APPROVED


class RegistrationChange(models.Model):
    """One state change of a registration: who, when, why. Never edited."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("registration"),
    )
    from_status = models.CharField(
        max_length=20,
        choices=Registration.Status.choices,
        blank=True,
        verbose_name=_("from status"),
    )
    to_status = models.CharField(
        max_length=20, choices=Registration.Status.choices, verbose_name=_("to status")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("changed by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("registration change")
        verbose_name_plural = _("registration changes")

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status} at {self.at:%Y-%m-%d %H:%M}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("event"),
    )
    type = models.ForeignKey(
        RegistrationType,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("registration type"),
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    token = models.CharField(
        max_length=64,
        unique=True,
        default=new_invitation_token,
        editable=False,
        verbose_name=_("token"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                name="one_invitation_per_email",
                violation_error_message=_("This person is already invited to this event."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def get_absolute_url(self) -> str:
        return reverse("participants:accept_invitation", args=[self.token])

    def is_expired_at(self, moment) -> bool:
        return moment >= self.expires_at


class AnonymousCount(models.Model):
    """What is kept of registrations whose person was erased (on request, or when the
    event's personal data was anonymised): counts, with no person in them."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="anonymous_counts"
    )
    registration_type = models.ForeignKey(
        RegistrationType, on_delete=models.CASCADE, related_name="anonymous_counts"
    )
    status = models.CharField(_("status"), max_length=20, choices=Registration.Status.choices)
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    subregion = models.CharField(_("sub-region"), max_length=30, blank=True)
    attended = models.BooleanField(_("checked in at least once"), default=False)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["event", "registration_type", "status"]
        verbose_name = _("anonymous count")
        verbose_name_plural = _("anonymous counts")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "registration_type", "status", "sector", "subregion", "attended"],
                name="one_anonymous_count_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_type}: {self.count} {self.get_status_display()}"
