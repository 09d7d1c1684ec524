"""Short notices from staff to everyone, one registration type, or one group."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanjose.i18n import Translated


class AnnouncementQuerySet(models.QuerySet):
    def published(self) -> "AnnouncementQuerySet":
        return self.filter(published_at__isnull=False)


class Announcement(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone (also on the public home page)")
        TYPE = "type", _("One registration type (approved registrations)")
        GROUP = "group", _("One group (its members)")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="announcements"
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=2000)
    body_es = models.TextField(_("text (Spanish)"), max_length=2000, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    registration_type = models.ForeignKey(
        "participants.RegistrationType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("registration type"),
    )
    group = models.ForeignKey(
        "participants.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("group"),
    )
    send_email = models.BooleanField(
        _("also send by email"),
        default=False,
        help_text=_("Once per person, in their language, when the announcement is published."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    emailed_count = models.PositiveIntegerField(_("emails queued"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    title = Translated("title")
    body = Translated("body")

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="everyone", registration_type__isnull=True, group__isnull=True)
                    | Q(audience="type", registration_type__isnull=False, group__isnull=True)
                    | Q(audience="group", registration_type__isnull=True, group__isnull=False)
                ),
                name="announcement_audience_matches",
                violation_error_message=_(
                    "Choose the registration type for “one registration type”, the group for "
                    "“one group”, and neither for “everyone”."
                ),
            ),
        ]
        indexes = [models.Index(fields=["event", "published_at"])]

    def __str__(self) -> str:
        return self.title_en
