"""The library page: filters, newest first, pagination, search, and a query count that
does not grow with the documents on a page."""

from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Document
from documents.selectors import search_documents
from sanjose import clock
from tests.factories import (
    CategoryFactory,
    DocumentFactory,
    DocumentFileFactory,
    SessionFactory,
)

from .conftest import sample_pdf

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [d.title_en for d in response.context["page"].object_list]


def test_library_lists_newest_first_with_files_and_category(client):
    now = clock.now()
    old = DocumentFactory(title_en="Old", published_at=now - timedelta(days=3))
    new = DocumentFactory(title_en="New", published_at=now - timedelta(days=1))
    DocumentFileFactory(document=new, language="en", size=2048)
    DocumentFileFactory(document=new, language="es")

    response = client.get("/documents/")

    html = response.content.decode()
    assert titles(response) == ["New", "Old"]
    assert f'href="/documents/{new.pk}/download/en/"' in html
    assert f'href="/documents/{new.pk}/download/es/"' in html
    assert "2.0\xa0KB" in html
    assert old.category.name_en in html


def test_library_filters_by_category_language_and_session(client):
    report = CategoryFactory(slug="background-report")
    agenda = CategoryFactory(slug="agenda")
    session = SessionFactory(audience="public", title_en="Open panel")
    spanish = DocumentFactory(title_en="Spanish report", category=report)
    DocumentFileFactory(document=spanish, language="es")
    english = DocumentFactory(title_en="English agenda", category=agenda)
    DocumentFileFactory(document=english, language="en")
    english.sessions.add(session)

    assert titles(client.get("/documents/", {"category": "agenda"})) == ["English agenda"]
    assert titles(client.get("/documents/", {"language": "es"})) == ["Spanish report"]
    assert titles(client.get("/documents/", {"session": session.pk})) == ["English agenda"]


def test_session_filter_offers_only_sessions_the_viewer_may_see(client):
    hidden = SessionFactory(audience="participants", title_en="Participants plenary")
    shown = SessionFactory(audience="public", title_en="Open panel")
    document = DocumentFactory(title_en="Public handout")
    document.sessions.add(hidden, shown)

    response = client.get("/documents/", {"session": hidden.pk})

    html = response.content.decode()
    assert "Open panel" in html
    assert "Participants plenary" not in html
    assert response.context["form"].errors["session"]
    assert titles(response) == ["Public handout"]  # the unknown filter is ignored


def test_library_paginates_and_keeps_the_filters(client):
    for n in range(23):
        DocumentFactory(title_en=f"Doc {n:02}", published_at=clock.now() - timedelta(hours=n))

    first = client.get("/documents/", {"q": "Doc"})
    second = client.get("/documents/", {"q": "Doc", "page": 2})

    assert len(titles(first)) == 20
    assert titles(second) == ["Doc 20", "Doc 21", "Doc 22"]
    assert 'href="?q=Doc&amp;page=2"' in first.content.decode()


def test_search_matches_title_and_description_in_either_language(client):
    DocumentFactory(title_en="Concept note", title_es="Nota conceptual")
    DocumentFactory(title_en="Agenda", description_es="Programa de los cinco días")

    assert titles(client.get("/documents/", {"q": "conceptual"})) == ["Concept note"]
    assert titles(client.get("/documents/", {"q": "programa"})) == ["Agenda"]
    assert titles(client.get("/documents/", {"q": "nothing-like-this"})) == []


def test_search_ignores_accents_in_the_query_and_in_the_documents(client, store_file):
    DocumentFactory(title_en="Children on the move", title_es="Niños en movilidad")
    report = DocumentFactory(title_en="Regional report")
    store_file(report, "es", sample_pdf("La explotación sexual de niñas y niños en el turismo."))
    DocumentFactory(title_en="Ninos, a surname written without accent")
    DocumentFactory(title_en="Unrelated")

    unaccented = titles(client.get("/documents/", {"q": "ninos"}))
    accented = titles(client.get("/documents/", {"q": "niños"}))

    assert sorted(unaccented) == [
        "Children on the move",
        "Ninos, a surname written without accent",
        "Regional report",
    ]
    assert sorted(accented) == sorted(unaccented)
    assert titles(client.get("/documents/", {"q": "explotacion"})) == ["Regional report"]
    assert titles(client.get("/documents/", {"q": "EXPLOTACIÓN turismo"})) == ["Regional report"]


def test_search_finds_a_spanish_word_inside_the_pdf_by_its_stem(client, store_file):
    document = DocumentFactory(title_en="National consultation findings")
    store_file(document, "es", sample_pdf("Las niñas y adolescentes trabajadoras del turismo."))
    DocumentFactory(title_en="Unrelated")

    response = client.get("/documents/", {"q": "trabajador"})

    assert titles(response) == ["National consultation findings"]
    # Only the Spanish configuration stems "trabajadoras" to "trabajador": the English
    # one alone would not find it.
    english_only = Document.objects.annotate(
        v=SearchVector("search_text", config="english")
    ).filter(v=SearchQuery("trabajador", config="english"))
    assert connection.vendor == "postgresql"
    assert not english_only.exists()


def test_search_uses_the_gin_index(db):
    DocumentFactory(title_en="Niños en movilidad")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'documents_document' "
            "AND indexname LIKE 'documents_search_%%'"
        )
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute("SET LOCAL enable_seqscan = off")
        queryset = search_documents(Document.objects.all(), "ninos")
        plan = queryset.explain()
        found = list(queryset.values_list("title_en", flat=True))

    assert names == ["documents_search_vector_gin"]
    assert "documents_search_vector_gin" in plan
    assert found == ["Niños en movilidad"]


def make_page(size: int) -> None:
    session = SessionFactory(audience="public")
    for _ in range(size):
        document = DocumentFactory()
        DocumentFileFactory(document=document, language="en", thumbnail="thumbnails/x.png")
        DocumentFileFactory(document=document, language="es")
        document.sessions.add(session)


@pytest.mark.parametrize("params", [{}, {"q": "Document", "language": "en"}])
def test_library_query_count_does_not_grow_with_the_page(client, matrix, params):
    client.force_login(matrix.users["member"])
    make_page(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/documents/", params).status_code == 200
    make_page(15)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/documents/", params)

    assert len(titles(response)) == 18
    assert len(large) == len(small)
    # 13 on a content version nobody has asked for yet (each make_page writes): the
    # current event, for the zone of the dates, is one of them, once per version.
    assert len(large) <= 13
