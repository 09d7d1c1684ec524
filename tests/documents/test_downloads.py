"""Downloads: a safe file name, the file itself or nginx's redirect, a count per file."""

import pytest
from django.core.files.base import ContentFile

from documents.models import DocumentFile
from documents.tasks import task_make_preview
from tests.factories import DocumentFactory, DocumentFileFactory

from .conftest import sample_pdf

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_sends_the_file_as_an_attachment_and_counts_it(client, store_file):
    document = DocumentFactory()
    content = sample_pdf("Agenda")
    stored = store_file(document, "es", content, name="agenda del diálogo.pdf")

    first = client.get(f"/documents/{document.pk}/download/es/")
    client.get(f"/documents/{document.pk}/download/es/")

    assert first.status_code == 200
    assert body(first) == content
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == (
        "attachment; filename*=utf-8''agenda%20del%20di%C3%A1logo.pdf"
    )
    assert first["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert first["X-Content-Type-Options"] == "nosniff"
    assert DocumentFile.objects.get(pk=stored.pk).download_count == 2


def test_head_request_is_not_counted(client, store_file):
    document = DocumentFactory()
    stored = store_file(document, "en")

    assert client.head(f"/documents/{document.pk}/download/en/").status_code == 200
    assert DocumentFile.objects.get(pk=stored.pk).download_count == 0


def test_download_name_with_quotes_stays_one_header_value(client, store_file):
    document = DocumentFactory()
    store_file(document, "en", name='report"; filename="evil.html.pdf')

    response = client.get(f"/documents/{document.pk}/download/en/")

    assert response["Content-Disposition"] == (
        'attachment; filename="report\\"; filename=\\"evil.html.pdf"'
    )


def test_nginx_serves_the_file_when_the_accel_prefix_is_set(client, store_file, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/private-media-internal/"
    document = DocumentFactory()
    stored = store_file(document, "en", name="report.pdf")

    response = client.get(f"/documents/{document.pk}/download/en/")

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/private-media-internal/{stored.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert DocumentFile.objects.get(pk=stored.pk).download_count == 1


def test_thumbnail_is_a_small_webp_shown_inline(client, store_file):
    document = DocumentFactory()
    store_file(document, "en")

    response = client.get(f"/documents/{document.pk}/thumbnail/en/")

    assert response["Content-Type"] == "image/webp"
    assert response["Content-Disposition"].startswith("inline;")
    image = body(response)
    assert image[:4] == b"RIFF" and image[8:12] == b"WEBP"
    assert len(image) < 20_000  # the PNGs were ~60 KB


def test_a_thumbnail_made_before_webp_is_still_served_as_png(client, store_file):
    document = DocumentFactory()
    stored = store_file(document, "en")
    storage = stored.thumbnail.storage
    png_name = storage.save("thumbnails/old.png", ContentFile(b"\x89PNG\r\n\x1a\n old"))
    DocumentFile.objects.filter(pk=stored.pk).update(thumbnail=png_name)

    response = client.get(f"/documents/{document.pk}/thumbnail/en/")

    assert response["Content-Type"] == "image/png"
    assert body(response).startswith(b"\x89PNG")


def test_preview_task_is_idempotent(store_file, private_media):
    stored = store_file(DocumentFactory(), "en")
    files_before = sorted(p for p in private_media.rglob("*") if p.is_file())

    task_make_preview.delay(stored.pk)
    task_make_preview.delay(stored.pk)

    again = DocumentFile.objects.get(pk=stored.pk)
    assert again.thumbnail.name == stored.thumbnail.name
    assert again.text == stored.text
    assert sorted(p for p in private_media.rglob("*") if p.is_file()) == files_before


def test_preview_task_for_a_deleted_file_logs_and_stops(db, caplog):
    caplog.set_level("INFO", logger="documents.tasks")

    task_make_preview.delay(987654)

    assert "document file 987654 is gone; no preview" in caplog.text


def test_preview_of_a_file_missing_on_disk_logs_and_stops(private_media, caplog):
    document_file = DocumentFileFactory()

    task_make_preview.delay(document_file.pk)

    document_file.refresh_from_db()
    assert not document_file.thumbnail
    assert f"document file {document_file.pk} has no stored file" in caplog.text


def test_download_of_a_file_missing_on_disk_answers_404(client, private_media):
    document_file = DocumentFileFactory()

    response = client.get(f"/documents/{document_file.document_id}/download/en/")

    assert response.status_code == 404
    document_file.refresh_from_db()
    assert document_file.download_count == 0
