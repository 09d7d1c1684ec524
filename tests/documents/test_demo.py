"""`load_demo` fills the library with the documents the organisers' text names."""

import pytest
from django.core.management import call_command

from documents.models import Document, DocumentFile
from participants.models import Group

pytestmark = pytest.mark.django_db


def load() -> None:
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)


def test_demo_library_names_the_seed_documents_with_real_files(
    private_media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        load()

    titles = set(Document.objects.values_list("title_en", flat=True))
    assert "Concept note: the San José Dialogue" in titles
    assert "Agenda of the San José Dialogue, 3–7 June 2024" in titles
    countries = [t for t in titles if t.startswith("National consultation findings: ")]
    assert len(countries) == 8
    assert any("Venezuelan migrant children in Peru and Colombia" in t for t in titles)
    assert sum("UN report" in t for t in titles) == 2
    assert {d.access for d in Document.objects.all()} == {
        "public",
        "participants",
        "groups",
        "staff",
    }
    closed = Document.objects.get(title_en="GARA delegations: briefing for the closed meeting")
    assert list(closed.groups.all()) == list(Group.objects.filter(name_en="GARA delegations"))
    assert closed.sessions.get().title_en == "GARA delegations: closed meeting"
    assert Document.objects.filter(is_published=False).count() == 1
    files = DocumentFile.objects.all()
    assert {f.language for f in files} == {"en", "es"}
    assert all((private_media / f.file.name).is_file() for f in files)
    assert all(f.thumbnail for f in files)
    review = Document.objects.get(title_en__startswith="Sexual exploitation of Venezuelan")
    assert "niñez no acompañada" in review.search_text


def test_demo_library_is_idempotent(private_media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load()
    files = sorted(DocumentFile.objects.values_list("pk", "sha256", "file"))
    documents = Document.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        load()

    assert Document.objects.count() == documents
    assert sorted(DocumentFile.objects.values_list("pk", "sha256", "file")) == files
