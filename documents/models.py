"""The library of a zero-paper event: documents, one file per language, categories."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanjose.access import Viewer
from sanjose.i18n import Translated


class Category(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated("name")

    class Meta:
        ordering = ["position", "name_en"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class DocumentQuerySet(models.QuerySet):
    def published(self) -> "DocumentQuerySet":
        return self.filter(is_published=True)

    def visible_to(self, viewer: Viewer) -> "DocumentQuerySet":
        """Documents the viewer may know exist (the one rule: docs/architecture.md)."""
        if viewer.can_see_staff_documents:
            return self
        if viewer.is_staff:
            return self.exclude(access=Document.Access.STAFF)
        rule = Q(access=Document.Access.PUBLIC)
        if viewer.approved_event_ids:
            rule |= Q(access=Document.Access.PARTICIPANTS, event_id__in=viewer.approved_event_ids)
        if viewer.group_ids:
            in_my_groups = Document.groups.through.objects.filter(
                document_id=OuterRef("pk"), group_id__in=viewer.group_ids
            )
            rule |= Q(Exists(in_my_groups), access=Document.Access.GROUPS)
        return self.published().filter(rule)


class Document(models.Model):
    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTICIPANTS = "participants", _("Participants")
        GROUPS = "groups", _("Named groups")
        STAFF = "staff", _("Staff only")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="documents", verbose_name=_("event")
    )
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_es = models.CharField(_("title (Spanish)"), max_length=250, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="documents", verbose_name=_("category")
    )
    access = models.CharField(
        _("who may see it"), max_length=20, choices=Access.choices, default=Access.PARTICIPANTS
    )
    groups = models.ManyToManyField(
        "participants.Group", blank=True, related_name="documents", verbose_name=_("groups")
    )
    sessions = models.ManyToManyField(
        "events.Session", blank=True, related_name="documents", verbose_name=_("sessions")
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # Titles, descriptions and the files' text in one column, so PostgreSQL can index it
    # (GIN, English and Spanish configurations); rebuilt by services.refresh_search_text.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # The same text as a stored tsvector (English and Spanish lexemes), written with it
    # on PostgreSQL and GIN-indexed there (migration 0006); NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False, verbose_name=_("search vector"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    title = Translated("title")
    description = Translated("description")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("view_staff_documents", _("Can see staff-only documents"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    def can_download(self, viewer: Viewer) -> bool:
        return type(self).objects.visible_to(viewer).filter(pk=self.pk).exists()


def private_file_name(instance: "DocumentFile", filename: str) -> str:
    # No user-chosen path reaches the disk: the stored name is generated.
    return f"documents/{uuid.uuid4().hex}"


class DocumentFile(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="files", verbose_name=_("document")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to=private_file_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    thumbnail = models.ImageField(_("thumbnail"), upload_to="thumbnails/", blank=True)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["document", "language"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"],
                name="one_file_per_language",
                violation_error_message=_("This document already has a file in that language."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.document_id, self.language])
