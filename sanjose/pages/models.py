"""The texts a participant agrees to (privacy notice, code of conduct), one row per version.

A version is in force from its publication time until a later one is published; the
consent stored on the profile names the version the person accepted
(sanjose.pages.consent).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanjose.i18n import Translated


class PolicyVersionQuerySet(models.QuerySet):
    def published(self, *, at) -> "PolicyVersionQuerySet":
        return self.filter(published_at__isnull=False, published_at__lte=at)


class PolicyVersion(models.Model):
    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Privacy notice")
        CONDUCT = "code_of_conduct", _("Code of conduct")

    kind = models.CharField(_("text"), max_length=20, choices=Kind.choices)
    version = models.CharField(
        _("version"),
        max_length=20,
        help_text=_("For example 2024-05. Participants are asked to agree to each new version."),
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    text_en = models.TextField(
        _("text (English)"), help_text=_("Plain text; a blank line starts a new paragraph.")
    )
    text_es = models.TextField(_("text (Spanish)"), blank=True)
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Empty: a draft. The newest published version is the one in force."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    title = Translated("title")
    text = Translated("text")

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-published_at", "-pk"]
        verbose_name = _("privacy notice or code of conduct version")
        verbose_name_plural = _("privacy notice and code of conduct")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="unique_policy_version"),
            models.CheckConstraint(condition=~Q(version=""), name="policy_version_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.PRIVACY:
            return reverse("pages:privacy_version", args=[self.version])
        return reverse("pages:conduct_version", args=[self.version])
