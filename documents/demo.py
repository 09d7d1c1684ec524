"""The San José Dialogue's library for `load_demo`, from `demo/library.toml`: the
documents the organisers' text names, as small generated files (real one-page PDFs, one
PNG), in English and Spanish where it fits, with every access level, linked to the demo
sessions; saved through `save_document` (the audience check) and the file services.

The contents are short illustrative summaries, not the real reports. Idempotent: the
files are generated deterministically, so a re-run finds the same checksums and keeps
them; documents are found again by their English title.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from events.models import Event, Session
from participants.models import Group
from sanjose import demodata

from . import services
from .models import Category, Document, DocumentFile
from .samples import png_image, text_pdf

FILE = "library.toml"
P = Document.Access


@dataclass(frozen=True)
class DemoDocument:
    category: str
    access: str
    title_en: str
    title_es: str
    text_en: str = ""
    text_es: str = ""
    sessions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    days_before: int = 10
    published: bool = True
    image: bool = False
    files: tuple[str, ...] = field(default=("en", "es"))


def library(*, folder: Path | None = None) -> tuple[dict, list[DemoDocument]]:
    """The disclaimers and the documents of `demo/library.toml`."""
    data = demodata.read("library", folder=folder)
    items = []
    for n, entry in enumerate(data.get("document", []), start=1):
        with demodata.entry(f"{FILE}, document {n} “{entry.get('title_en', '?')}”"):
            access = P(entry.pop("access"))
            fields = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
            items.append(DemoDocument(access=access, **fields))
    return data["library"], items


@transaction.atomic
def build(*, event: Event, folder: Path | None = None) -> None:
    """Create or update the demo library of the event through `save_document` (which
    checks the audience) and the file services (files stored on commit)."""
    categories = services.ensure_default_categories()
    disclaimers, items = library(folder=folder)
    for n, item in enumerate(items, start=1):
        with demodata.entry(f"{FILE}, document {n} “{item.title_en}”"):
            document = _document(event, item, categories[item.category])
            for language in item.files:
                _ensure_file(document, item, language, disclaimers)
    for document in Document.objects.filter(event=event):
        services.refresh_search_text(document_id=document.pk)


def _document(event: Event, item: DemoDocument, category: Category) -> Document:
    published_at = datetime.combine(
        event.start_date - timedelta(days=item.days_before), time(15, 0), tzinfo=event.zone
    )
    document = Document.objects.filter(event=event, title_en=item.title_en).first()
    document = document or Document(event=event, title_en=item.title_en)
    document.title_es = item.title_es
    document.description_en, document.description_es = item.text_en, item.text_es
    document.category, document.access = category, item.access
    document.is_published = item.published
    document.published_at = published_at if item.published else None
    sessions = _named(Session.objects.filter(event=event), "title_en", item.sessions, "session")
    groups = _named(Group.objects.filter(event=event), "name_en", item.groups, "group")
    services.save_document(document=document, groups=groups)
    document.sessions.set(sorted(sessions, key=lambda s: s.pk))
    return document


def _named(rows, field: str, names: tuple[str, ...], what: str) -> list:
    found = list(rows.filter(**{f"{field}__in": names}))
    missing = set(names) - {getattr(row, field) for row in found}
    if missing:
        raise ValueError(f"no {what} named {sorted(missing)[0]!r}")
    return found


def _ensure_file(document: Document, item: DemoDocument, language: str, disclaimers: dict) -> None:
    name, content = _content(item, language, disclaimers)
    existing = DocumentFile.objects.filter(document=document, language=language).first()
    if existing is not None and existing.sha256 == _sha256(content):
        return
    if existing is not None:
        services.remove_document_file(document_file=existing)
    services.add_document_file(
        document=document,
        language=language,
        upload=ContentFile(content, name=name),
    )


def _content(item: DemoDocument, language: str, disclaimers: dict) -> tuple[str, bytes]:
    title = item.title_es if language == "es" else item.title_en
    if item.image:
        return "venue-map.png", png_image(title)
    text = item.text_es if language == "es" else item.text_en
    disclaimer = disclaimers[f"disclaimer_{language}"]
    slug = slugify(item.title_en)[:60].strip("-")
    return f"{slug}-{language}.pdf", text_pdf(title, [text, disclaimer])


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
