"""A person at the event: the participant profile and the country-to-sub-region table."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

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
