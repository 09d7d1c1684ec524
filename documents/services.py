"""The library's writes: checked uploads, removal, publication, previews, search text.

Files reach the private root only after the transaction that records them commits, and
leave it after the transaction that deletes their row commits: a refused upload or a
rolled-back transaction leaves nothing on disk.
"""

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Func, QuerySet, TextField, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from sanjose import clock
from sanjose.queueing import enqueue_after_commit

from . import previews
from .models import Category, Document, DocumentFile
from .uploads import check_upload

logger = logging.getLogger(__name__)
SPOOL_BYTES = 5 * 1024 * 1024


# The categories the issue lists; migration 0004 seeds a frozen copy of this list.
DEFAULT_CATEGORIES = [
    ("concept-note", "Concept note", "Nota conceptual"),
    ("agenda", "Agenda", "Agenda"),
    ("background-report", "Background report", "Informe de referencia"),
    ("presentation", "Presentation", "Presentación"),
    ("literature-review", "Literature review", "Revisión de literatura"),
    ("outcome-document", "Outcome document", "Documento final"),
    ("other", "Other", "Otros"),
]


def ensure_default_categories() -> dict[str, Category]:
    """The default categories by slug, created where missing (staff's edits kept)."""
    categories = {}
    for position, (slug, name_en, name_es) in enumerate(DEFAULT_CATEGORIES):
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_es": name_es, "position": position}
        )
    return categories


@transaction.atomic
def add_document_file(
    *,
    document: Document,
    language: str,
    upload: File,
    file_name: str | None = None,
    uploaded_by=None,
) -> DocumentFile:
    """Record `upload` as the document's file in `language` and store it under a
    generated name once the transaction commits; then queue its preview.

    Raises ValidationError (nothing written) for a refused file or a language that
    already has one. `file_name` defaults to the upload's own name.
    """
    checked = check_upload(upload=upload, file_name=file_name or upload.name or "")
    if DocumentFile.objects.filter(document=document, language=language).exists():
        raise ValidationError({"language": _("This document already has a file in that language.")})
    document_file = DocumentFile(
        document=document,
        language=language,
        original_name=checked.name,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
    )
    field = DocumentFile._meta.get_field("file")
    document_file.file.name = field.generate_filename(document_file, checked.name)
    document_file.save()
    content = _anonymous_copy(upload)
    transaction.on_commit(partial(_write_file, document_file.pk, document_file.file.name, content))
    _queue_preview(document_file.pk)
    if uploaded_by is not None and document.uploaded_by_id is None:
        Document.objects.filter(pk=document.pk, uploaded_by=None).update(uploaded_by=uploaded_by)
    return document_file


def _anonymous_copy(upload: File) -> File:
    """The upload's bytes, held until the commit in memory or in an unnamed temporary
    file: the request may close the upload first, and a rollback leaves no trace."""
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed after the write)
    upload.seek(0)
    for chunk in upload.chunks():
        copy.write(chunk)
    copy.seek(0)
    return File(copy)


def _write_file(document_file_id: int, name: str, content: File) -> None:
    storage = DocumentFile._meta.get_field("file").storage
    try:
        stored = storage.save(name, content)
    except Exception:
        # The row must not outlive a file that never reached the disk.
        DocumentFile.objects.filter(pk=document_file_id).delete()
        logger.exception("document file %s could not be stored; its row was removed", name)
        raise
    finally:
        content.close()
    if stored != name:
        DocumentFile.objects.filter(pk=document_file_id).update(file=stored)


def _queue_preview(document_file_id: int) -> None:
    from .tasks import task_make_preview

    # A broker fault after commit must not fail the upload that is already saved: the
    # file is there without its thumbnail (and search text) until the preview is made.
    enqueue_after_commit(
        task_make_preview, [(document_file_id,)], what="the file has no preview for now"
    )


@transaction.atomic
def remove_document_file(*, document_file: DocumentFile) -> None:
    """Delete the file's row; its file and thumbnail leave the disk once that commits."""
    names = [n for n in (document_file.file.name, document_file.thumbnail.name) if n]
    document_id = document_file.document_id
    document_file.delete()
    refresh_search_text(document_id=document_id)
    transaction.on_commit(partial(_delete_files, names))


def _delete_files(names: list[str]) -> None:
    storage = DocumentFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


@transaction.atomic
def save_document(*, document: Document, saved_by=None) -> Document:
    """Save the document's own fields; a published document keeps the date it was
    first published (the new-material notices read it), or gets now."""
    if document.pk is None and saved_by is not None:
        document.uploaded_by = saved_by
    if document.is_published and document.published_at is None:
        document.published_at = clock.now()
    document.save()
    refresh_search_text(document_id=document.pk)
    return document


def check_audience(*, access: str, event_id: int | None, groups) -> None:
    """A document for named groups names at least one group, all of its own event;
    otherwise nobody but staff could ever see it. Raises ValidationError by field."""
    if access == Document.Access.GROUPS and not groups:
        raise ValidationError({"groups": _("Choose the groups that may see this document.")})
    if event_id is not None and any(group.event_id != event_id for group in groups):
        raise ValidationError({"groups": _("Choose groups of the document's own event.")})


def publish_documents(*, documents: QuerySet[Document]) -> int:
    """Publish the unpublished ones among `documents`; returns how many changed."""
    return documents.filter(is_published=False).update(
        is_published=True, published_at=Coalesce("published_at", clock.now())
    )


def unpublish_documents(*, documents: QuerySet[Document]) -> int:
    """Hide the published ones among `documents` (they keep their publication date)."""
    return documents.filter(is_published=True).update(is_published=False)


def refresh_search_text(*, document_id: int) -> None:
    """Rebuild the document's search column from its titles, descriptions and the
    text of its files (both languages: a Spanish reader may search English titles)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    texts = DocumentFile.objects.filter(document_id=document_id).values_list("text", flat=True)
    parts = [
        document.title_en,
        document.title_es,
        document.description_en,
        document.description_es,
        *texts,
    ]
    search_text = "\n".join(p for p in parts if p)
    fields: dict = {"search_text": search_text}
    if connection.vendor == "postgresql":
        # Accents folded (the `unaccent` extension), as in the query: "ninos" finds "niños".
        text = Func(
            Value(search_text, output_field=TextField()),
            function="unaccent",
            output_field=TextField(),
        )
        fields["search_vector"] = SearchVector(text, config="english") + SearchVector(
            text, config="spanish"
        )
    Document.objects.filter(pk=document_id).update(**fields)


def make_preview(*, document_file: DocumentFile) -> None:
    """Make the file's thumbnail and extract its text (PDFs), then refresh the
    document's search text. Idempotent: the thumbnail's name follows from the file's."""
    if not previews.has_preview(document_file.content_type):
        return
    with local_copy(document_file.file) as path:
        if path is None:  # its write failed after commit; nothing to show
            logger.warning("document file %s has no stored file; no preview", document_file.pk)
            return
        thumbnail = document_file.thumbnail.name or _store_thumbnail(document_file, path)
        text = document_file.text
        if document_file.content_type == previews.PDF and not text:
            text = previews.pdf_text(path)
    DocumentFile.objects.filter(pk=document_file.pk).update(thumbnail=thumbnail, text=text)
    refresh_search_text(document_id=document_file.document_id)


@contextmanager
def local_copy(field_file: FieldFile) -> Iterator[Path | None]:
    """The stored file as a local path: the file itself on a local disk, a temporary copy
    of the object from an object store; None when nothing is stored under its name."""
    storage, name = field_file.storage, field_file.name
    try:
        path = Path(storage.path(name))
    except NotImplementedError:  # an object store has no local path
        path = None
    if path is not None:
        yield path if path.is_file() else None
        return
    if not storage.exists(name):
        yield None
        return
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy:
        with storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)


def _store_thumbnail(document_file: DocumentFile, path: Path) -> str:
    storage = DocumentFile._meta.get_field("thumbnail").storage
    name = f"thumbnails/{Path(document_file.file.name).name}{previews.THUMBNAIL_SUFFIX}"
    if not storage.exists(name):
        try:
            image = previews.thumbnail_image(path, document_file.content_type)
        except previews.PreviewRefused as refused:
            logger.warning("document file %s gets no thumbnail: %s", document_file.pk, refused)
            return ""
        name = storage.save(name, ContentFile(image))
    return name
