"""Staff upload documents in the admin: several files at once, clear refusals, publish."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document, DocumentFile
from sanjose import clock
from tests.factories import (
    CategoryFactory,
    DocumentFactory,
    DocumentFileFactory,
    EventFactory,
    GroupFactory,
    UserFactory,
)
from tests.signin import sign_in_staff

from .conftest import sample_pdf, sample_png
from .test_uploads import EXECUTABLE, files_on_disk

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    return sign_in_staff(client, UserFactory(is_staff=True, is_superuser=True))


def add_form(event, category, files: list[tuple[str, SimpleUploadedFile]], **fields) -> dict:
    data = {
        "event": event.pk,
        "category": category.pk,
        "title_en": "Rapid literature review",
        "title_es": "Revisión rápida de literatura",
        "description_en": "",
        "description_es": "",
        "access": "participants",
        "is_published": "on",
        "published_at_0": "",
        "published_at_1": "",
        "files-TOTAL_FORMS": "2",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "2",
        **fields,
    }
    for index, (language, upload) in enumerate(files):
        data[f"files-{index}-language"] = language
        data[f"files-{index}-upload"] = upload
    return data


def test_staff_add_a_document_with_a_file_per_language_at_once(
    staff_client, private_media, django_capture_on_commit_callbacks
):
    event, category = EventFactory(), CategoryFactory(slug="literature-review")
    files = [
        ("en", SimpleUploadedFile("review-en.pdf", sample_pdf("Migrant children."))),
        ("es", SimpleUploadedFile("revision-es.png", sample_png())),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/documents/document/add/", add_form(event, category, files)
        )

    assert response.status_code == 302
    document = Document.objects.get()
    stored = {f.language: f for f in document.files.all()}
    assert {k: (f.original_name, f.content_type) for k, f in stored.items()} == {
        "en": ("review-en.pdf", "application/pdf"),
        "es": ("revision-es.png", "image/png"),
    }
    assert len(files_on_disk(private_media)) == 4  # two files and two thumbnails
    assert document.is_published and document.published_at is not None
    assert document.uploaded_by.is_staff
    assert "Migrant children." in document.search_text
    assert "Revisión rápida" in document.search_text


def test_refused_file_is_explained_next_to_its_field_and_nothing_is_saved(
    staff_client, private_media, django_capture_on_commit_callbacks
):
    event, category = EventFactory(), CategoryFactory()
    files = [
        ("en", SimpleUploadedFile("agenda.pdf", sample_pdf())),
        ("es", SimpleUploadedFile("agenda.pdf", EXECUTABLE)),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/documents/document/add/", add_form(event, category, files)
        )

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[1]["upload"] == [
        "This kind of file cannot be uploaded. Allowed: PDF, Word, PowerPoint, Excel, "
        "OpenDocument, and PNG, JPEG, GIF or WebP images."
    ]
    assert not Document.objects.exists()
    assert files_on_disk(private_media) == []


def test_two_files_in_one_language_are_refused(staff_client, private_media):
    event, category = EventFactory(), CategoryFactory()
    files = [
        ("en", SimpleUploadedFile("a.pdf", sample_pdf())),
        ("en", SimpleUploadedFile("b.pdf", sample_pdf())),
    ]

    response = staff_client.post("/admin/documents/document/add/", add_form(event, category, files))

    assert response.status_code == 200
    assert "Please correct the duplicate data for language" in response.content.decode()
    assert not DocumentFile.objects.exists()


def test_publish_action_stamps_the_date_once(staff_client):
    earlier = clock.now() - timedelta(days=5)
    draft = DocumentFactory(is_published=False, published_at=None)
    republished = DocumentFactory(is_published=False, published_at=earlier)

    response = staff_client.post(
        "/admin/documents/document/",
        {"action": "publish", "_selected_action": [draft.pk, republished.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    republished.refresh_from_db()
    assert "2 documents published." in response.content.decode()
    assert draft.is_published and draft.published_at is not None
    assert republished.is_published and republished.published_at == earlier


def test_changelist_with_filters_and_search_loads(staff_client):
    DocumentFileFactory(document=DocumentFactory(title_en="Concept note"), download_count=7)

    response = staff_client.get(
        "/admin/documents/document/", {"q": "concept", "files__language": "en"}
    )

    assert response.status_code == 200
    assert "Concept note" in response.content.decode()


def test_a_document_for_named_groups_must_name_them(staff_client, private_media):
    event, category = EventFactory(), CategoryFactory()
    other_group = GroupFactory(event=EventFactory())

    without = staff_client.post(
        "/admin/documents/document/add/", add_form(event, category, [], access="groups")
    )
    foreign = staff_client.post(
        "/admin/documents/document/add/",
        add_form(event, category, [], access="groups", groups=[other_group.pk]),
    )

    assert without.context["adminform"].form.errors["groups"] == [
        "Choose the groups that may see this document."
    ]
    assert foreign.context["adminform"].form.errors["groups"] == [
        "Choose groups of the document's own event."
    ]
    assert not Document.objects.exists()
