"""Formatting for the library's templates."""

from django import template
from django.utils.translation import gettext_lazy as _

from sanjose.i18n import active_content_language

from ..models import Document, DocumentFile
from ..uploads import DOC, DOCX, ODP, ODS, ODT, PDF, PPT, PPTX, XLS, XLSX

register = template.Library()

KINDS = {
    PDF: "PDF",
    DOCX: "Word",
    DOC: "Word",
    XLSX: "Excel",
    XLS: "Excel",
    PPTX: "PowerPoint",
    PPT: "PowerPoint",
    ODT: "OpenDocument",
    ODS: "OpenDocument",
    ODP: "OpenDocument",
}


@register.filter
def file_kind(content_type: str) -> str:
    """'PDF', 'Word', 'Image'… for a content type."""
    if content_type.startswith("image/"):
        return str(_("Image"))
    return KINDS.get(content_type, str(_("File")))


@register.filter
def preview_file(document: Document) -> DocumentFile | None:
    """The file whose thumbnail to show: the reader's language first (uses the
    prefetched files, no query)."""
    with_thumbnail = [f for f in document.files.all() if f.thumbnail]
    language = active_content_language()
    mine = [f for f in with_thumbnail if f.language == language]
    return (mine or with_thumbnail or [None])[0]


@register.simple_tag
def keep_offline_urls(document: Document) -> str:
    """The addresses the "Keep offline" button stores on the phone (as JSON): the
    document's page, then each file and its preview."""
    import json

    from django.urls import reverse

    urls = [reverse("documents:detail", args=[document.pk])]
    for document_file in document.files.all():
        urls.append(reverse("documents:download", args=[document.pk, document_file.language]))
        if document_file.thumbnail:
            urls.append(reverse("documents:thumbnail", args=[document.pk, document_file.language]))
    return json.dumps(urls)


@register.filter
def files_for_reader(document: Document) -> list[DocumentFile]:
    """The document's files, the reader's language first, then the others in their
    usual order (uses the prefetched files, no query)."""
    language = active_content_language()
    return sorted(document.files.all(), key=lambda f: f.language != language)
