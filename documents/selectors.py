"""The library's read queries; every one starts from `Document.objects.visible_to`."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Exists, Func, OuterRef, Prefetch, QuerySet, TextField, Value

from events.models import Session
from sanjose.access import Viewer

from .models import Category, Document, DocumentFile

SEARCH_CONFIGS = ("english", "spanish")  # as written by services.refresh_search_text
SEARCH_COLUMNS = ("search_text", "search_vector")  # large, and no page shows them


@dataclass(frozen=True)
class LibraryFilters:
    query: str = ""
    category: Category | None = None
    language: str = ""
    session: Session | None = None


def library_documents(*, viewer: Viewer, filters: LibraryFilters) -> QuerySet[Document]:
    """What the library lists for this viewer, filtered, newest first, with the files
    and category each row shows."""
    documents = Document.objects.visible_to(viewer)
    if filters.query:
        documents = search_documents(documents, filters.query)
    if filters.category is not None:
        documents = documents.filter(category=filters.category)
    if filters.language:
        in_language = DocumentFile.objects.filter(
            document_id=OuterRef("pk"), language=filters.language
        )
        documents = documents.filter(Exists(in_language))
    if filters.session is not None:
        documents = documents.filter(sessions=filters.session)
    return (
        documents.select_related("category")
        .defer(*SEARCH_COLUMNS)
        .prefetch_related(Prefetch("files", queryset=_listed_files()))
        .order_by("-published_at", "-pk")
    )


def search_documents(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Full-text search in English and Spanish on PostgreSQL (stemmed: "trabajador"
    finds "trabajadoras"; accents folded on both sides: "ninos" finds "niños");
    every word as a substring on SQLite."""
    if connection.vendor == "postgresql":
        folded = Func(Value(query), function="unaccent", output_field=TextField())
        english, spanish = (
            SearchQuery(folded, config=config, search_type="websearch") for config in SEARCH_CONFIGS
        )
        return documents.filter(search_vector=english | spanish)
    for word in query.split():
        documents = documents.filter(search_text__icontains=word)
    return documents


def document_detail(*, viewer: Viewer, document_id: int) -> Document | None:
    """One document the viewer may see, with its files and the sessions they may see."""
    return (
        Document.objects.visible_to(viewer)
        .select_related("category", "event")
        .prefetch_related(
            Prefetch("files", queryset=_listed_files()),
            Prefetch("sessions", queryset=_visible_sessions(viewer), to_attr="visible_sessions"),
        )
        .filter(pk=document_id)
        .first()
    )


def session_choices(*, viewer: Viewer) -> QuerySet[Session]:
    """Sessions the viewer may see that have documents the viewer may see."""
    documents = Document.objects.visible_to(viewer)
    linked = Document.sessions.through.objects.filter(
        session_id=OuterRef("pk"), document_id__in=documents.values("pk")
    )
    return _visible_sessions(viewer).filter(Exists(linked))


def documents_for_sessions(*, viewer: Viewer, sessions: QuerySet[Session]) -> QuerySet[Document]:
    """The documents of these sessions that the viewer may see (session pages, /me/)."""
    linked = Document.sessions.through.objects.filter(
        document_id=OuterRef("pk"), session_id__in=sessions.values("pk")
    )
    return (
        Document.objects.visible_to(viewer)
        .filter(Exists(linked))
        .select_related("category")
        .defer(*SEARCH_COLUMNS)
        .prefetch_related(Prefetch("files", queryset=_listed_files()))
        .order_by("-published_at", "-pk")
    )


def _listed_files() -> QuerySet[DocumentFile]:
    return DocumentFile.objects.only(
        "id", "document_id", "language", "size", "content_type", "thumbnail", "original_name"
    ).order_by("language")


def _visible_sessions(viewer: Viewer) -> QuerySet[Session]:
    return Session.objects.visible_to(viewer).select_related("day", "room").order_by("starts_at")
