"""What is the same for everyone: the event, its days, rooms, sessions and speakers."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from sanjose.access import Viewer
from sanjose.i18n import Translated, translated_property


def default_time_zone() -> str:
    """A new event's time zone, until staff say otherwise (settings.EVENT_TIME_ZONE)."""
    return settings.EVENT_TIME_ZONE


class EventQuerySet(models.QuerySet):
    def current(self) -> "Event | None":
        """The event the site is about (at most one: the `one_current_event` constraint);
        the one way every page, feed, task and staff view finds it."""
        return self.filter(is_current=True).first()

    def with_days(self) -> "EventQuerySet":
        """With its days in date order (the home page lists them)."""
        return self.prefetch_related(
            models.Prefetch("days", queryset=EventDay.objects.order_by("date"))
        )


_NO_EVENT = "none"  # cached as such: the page cache stores no None


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def current(self) -> "Event | None":
        """The current event with its days (in date order), from the page cache: the same
        object for every request of a content version (any write to an event or a day is
        a new version), so a page does not ask the database for it each time, and within
        a request the same object however often it is asked for (every time shown asks
        for its zone). The one way pages, feeds, staff views, tasks and the allauth site
        find it."""
        from sanjose.pagecache import get_or_build, scoped

        event = scoped("current-event", lambda: get_or_build("current-event", self._load_current))
        return None if isinstance(event, str) else event

    def _load_current(self) -> "Event | str":
        return self.get_queryset().with_days().current() or _NO_EVENT


class Event(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    # The one time-zone truth: pages, emails and feeds show this event's times in it.
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone)
    venue_en = models.CharField(_("venue (English)"), max_length=200, blank=True)
    venue_es = models.CharField(_("venue (Spanish)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    tagline_en = models.CharField(_("tagline (English)"), max_length=300, blank=True)
    tagline_es = models.CharField(_("tagline (Spanish)"), max_length=300, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    is_current = models.BooleanField(
        _("current event"), default=False, help_text=_("The event the home page shows.")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    name = translated_property("name")
    venue = translated_property("venue")
    tagline = Translated("tagline")
    description = Translated("description")

    objects = EventManager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_event",
                violation_error_message=_("Only one event can be the current one."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:home")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class EventDay(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="days", verbose_name=_("event")
    )
    date = models.DateField(_("date"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    theme_en = models.TextField(_("theme (English)"), blank=True)
    theme_es = models.TextField(_("theme (Spanish)"), blank=True)
    is_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_("The open day: its public sessions take public registrations."),
    )

    title = Translated("title")
    theme = Translated("theme")

    class Meta:
        ordering = ["date"]
        verbose_name = _("event day")
        verbose_name_plural = _("event days")
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="one_day_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%a %d %b %Y} – {self.title}" if self.title else f"{self.date}"


class Room(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    directions_en = models.CharField(_("floor or directions (English)"), max_length=200, blank=True)
    directions_es = models.CharField(_("floor or directions (Spanish)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    directions = Translated("directions")

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_room_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> "SpeakerQuerySet":
        """Speakers of at least one session the viewer may see (staff: every speaker). A
        speaker of hidden sessions only does not exist for the viewer, like the sessions."""
        if viewer.is_staff:
            return self
        visible = Session.objects.visible_to(viewer).values("pk")
        speaks = SessionSpeaker.objects.filter(speaker_id=OuterRef("pk"), session_id__in=visible)
        return self.filter(Exists(speaks))


class Speaker(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio_en = models.TextField(_("short bio (English)"), blank=True)
    bio_es = models.TextField(_("short bio (Spanish)"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="speakers/", blank=True)
    photo_consent = models.BooleanField(
        _("may show the photo"),
        default=False,
        help_text=_("Tick only once the speaker agreed to their photo being shown on the site."),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_profiles",
        verbose_name=_("participant"),
    )

    bio = Translated("bio")

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def get_absolute_url(self) -> str:
        return reverse("events:speaker_detail", args=[self.pk])

    @property
    def shows_photo(self) -> bool:
        """A photo is shown only when there is one and the speaker consented."""
        return self.photo_consent and bool(self.photo)


class SessionQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> "SessionQuerySet":
        """Sessions the viewer may see in full (the one rule: docs/architecture.md)."""
        if viewer.is_staff:
            return self
        rule = Q(audience=Session.Audience.PUBLIC)
        if viewer.approved_event_ids:
            rule |= Q(
                audience=Session.Audience.PARTICIPANTS,
                event_id__in=viewer.approved_event_ids,
            )
        if viewer.group_ids:
            in_my_groups = Session.groups.through.objects.filter(
                session_id=OuterRef("pk"), group_id__in=viewer.group_ids
            )
            rule |= Q(Exists(in_my_groups), audience=Session.Audience.GROUPS)
        return self.filter(rule)

    def listed_for(self, viewer: Viewer) -> "SessionQuerySet":
        """What the agenda lists: visible sessions, plus closed meetings as bare slots
        for approved participants of the event (shown as "Closed meeting")."""
        if viewer.is_staff:
            return self
        visible = self.visible_to(viewer)
        if not viewer.approved_event_ids:
            return visible
        slots = Q(audience=Session.Audience.GROUPS, event_id__in=viewer.approved_event_ids)
        return self.filter(Q(pk__in=visible.values("pk")) | slots)

    def active(self) -> "SessionQuerySet":
        return self.filter(is_cancelled=False)


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        WORKING_GROUPS = "working_groups", _("Working groups")
        CLOSED_MEETING = "closed_meeting", _("Closed group meeting")
        OPEN_SESSION = "open_session", _("Open session")
        PANEL = "panel", _("Panel")
        WORLD_CAFE = "world_cafe", _("World Café")
        BREAK = "break", _("Break")
        SOCIAL = "social", _("Social")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTICIPANTS = "participants", _("Participants")
        GROUPS = "groups", _("Named groups only")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    day = models.ForeignKey(
        EventDay, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("day")
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_es = models.CharField(_("title (Spanish)"), max_length=250, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PARTICIPANTS
    )
    groups = models.ManyToManyField(
        "participants.Group",
        blank=True,
        related_name="sessions",
        verbose_name=_("groups"),
        help_text=_("For the audience 'named groups only': who may see this session."),
    )
    speakers = models.ManyToManyField(
        Speaker,
        through="SessionSpeaker",
        blank=True,
        related_name="sessions",
        verbose_name=_("speakers"),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    signup_required = models.BooleanField(
        _("sign-up required"),
        default=False,
        help_text=_("Participants sign up on the session page; the capacity limits the seats."),
    )
    # Confirmed sign-ups and the last waiting-list ticket, kept by the sign-up services
    # with conditional UPDATEs (the check constraint makes overbooking impossible).
    signup_count = models.PositiveIntegerField(default=0, editable=False)
    last_signup_waitlist_position = models.PositiveIntegerField(default=0, editable=False)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Bumped on each change participants are told of.",
        verbose_name=_("sequence"),
    )
    # Description edits change what a calendar shows but are not worth a notice: counted
    # apart, and added to `sequence` in the feeds' SEQUENCE (so it still only grows).
    description_revision = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("description revision")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    title = Translated("title")
    description = Translated("description")

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "room__position", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(signup_count__lte=models.F("capacity")),
                name="session_signups_within_capacity",
                violation_error_message=_("The capacity is below the confirmed sign-ups."),
            ),
        ]
        indexes = [models.Index(fields=["event", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:session_detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        """`get_kind_display()` without its per-call dictionary of every choice (the agenda
        shows it on each of its hundreds of cards)."""
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.signup_count, 0)

    @property
    def feed_sequence(self) -> int:
        """The iCalendar SEQUENCE: every change a calendar shows, description included."""
        return self.sequence + self.description_revision

    @property
    def is_closed_meeting(self) -> bool:
        return self.audience == self.Audience.GROUPS


KIND_LABELS = dict(Session.Kind.choices)


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        PANELLIST = "panellist", _("Panellist")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, verbose_name=_("session"))
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, verbose_name=_("speaker"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="speaker_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} – {self.get_role_display()}"
