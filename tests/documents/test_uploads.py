"""Uploads are checked by content, stored under generated names, and leave nothing on
disk when refused or when their transaction rolls back."""

import hashlib
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from documents import uploads
from documents.models import DocumentFile
from documents.services import add_document_file, remove_document_file
from tests.factories import DocumentFactory

from .conftest import sample_pdf, sample_png

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 300
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 300
HTML = b"<!DOCTYPE html><html><body><h1>Report</h1><script>alert(1)</script></body></html>"
SVG_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
SVG_PLAIN = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>'


def files_on_disk(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(document, content: bytes, name: str, capture, language: str = "en"):
    with capture(execute=True):
        return add_document_file(
            document=document, language=language, upload=ContentFile(content, name=name)
        )


def office_zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = office_zip(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (sample_pdf("Informe de prueba."), "informe de prueba.pdf", "application/pdf"),
        (sample_png(), "map.png", "image/png"),
        (DOCX, "notes.docx", uploads.DOCX),
        (ODT, "notes.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_file_is_stored_under_a_generated_name(
    private_media, django_capture_on_commit_callbacks, content, name, content_type
):
    document = DocumentFactory()

    stored = upload(document, content, name, django_capture_on_commit_callbacks)

    stored.refresh_from_db()
    assert re.fullmatch(r"documents/[0-9a-f]{32}", stored.file.name)
    assert (private_media / stored.file.name).read_bytes() == content
    assert stored.original_name == name
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.content_type == content_type


def test_pdf_gets_a_thumbnail_and_its_text(private_media, django_capture_on_commit_callbacks):
    document = DocumentFactory(title_en="Findings")
    content = sample_pdf("Las niñas trabajadoras del sector informal.")

    stored = upload(document, content, "findings.pdf", django_capture_on_commit_callbacks)

    stored.refresh_from_db()
    document.refresh_from_db()
    assert stored.content_type == "application/pdf"
    assert (private_media / stored.thumbnail.name).read_bytes()[8:12] == b"WEBP"
    assert "niñas trabajadoras" in stored.text
    assert "niñas trabajadoras" in document.search_text
    assert "Findings" in document.search_text


def test_image_gets_a_thumbnail(private_media, django_capture_on_commit_callbacks):
    stored = upload(DocumentFactory(), sample_png(), "map.png", django_capture_on_commit_callbacks)

    stored.refresh_from_db()
    assert stored.content_type == "image/png"
    assert (private_media / stored.thumbnail.name).is_file()
    assert stored.text == ""


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXECUTABLE, "agenda.pdf", "This kind of file cannot be uploaded"),
        (ELF, "agenda.pdf", "This kind of file cannot be uploaded"),
        (HTML, "page.html", "This kind of file cannot be uploaded"),
        (HTML, "page.pdf", "This kind of file cannot be uploaded"),
        (SVG_SCRIPT, "logo.svg", "This kind of file cannot be uploaded"),
        (SVG_SCRIPT, "logo.png", "This kind of file cannot be uploaded"),
        (SVG_PLAIN, "logo.svg", "This kind of file cannot be uploaded"),
        (office_zip({"payload.exe": EXECUTABLE}), "archive.docx", "cannot be uploaded"),
        (sample_pdf(), "report.docx", "rename it to end in .pdf"),
        (b"%PDF-1.4\nnot really a pdf\n%%EOF", "broken.pdf", "This PDF cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png", "This image cannot be read"),
        (b"", "empty.pdf", "The file is empty"),
        (sample_pdf(), "../../../etc/cron.d/report.pdf", "without folders"),
        (sample_pdf(), "..\\..\\windows\\report.pdf", "without folders"),
        (sample_pdf(), ".hidden.pdf", "without folders"),
    ],
)
def test_refused_file_leaves_nothing_behind(
    private_media, django_capture_on_commit_callbacks, content, name, message
):
    document = DocumentFactory()

    with pytest.raises(ValidationError, match=re.escape(message)):
        upload(document, content, name, django_capture_on_commit_callbacks)

    assert files_on_disk(private_media) == []
    assert not DocumentFile.objects.exists()


def test_oversized_file_is_refused_with_the_limit(
    private_media, django_capture_on_commit_callbacks, settings
):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    content = sample_pdf() + b"\n%" + b"x" * (1024 * 1024)

    with pytest.raises(ValidationError) as refused:
        upload(DocumentFactory(), content, "big.pdf", django_capture_on_commit_callbacks)

    assert refused.value.messages == ["The file is 1.0 MB; the limit is 1 MB."]
    assert files_on_disk(private_media) == []
    assert not DocumentFile.objects.exists()


def test_second_file_in_the_same_language_is_refused(
    private_media, django_capture_on_commit_callbacks
):
    document = DocumentFactory()
    upload(document, sample_pdf(), "a.pdf", django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match="already has a file in that language"):
        upload(document, sample_pdf("Other"), "b.pdf", django_capture_on_commit_callbacks)

    assert len(files_on_disk(private_media)) == 2  # the first file and its thumbnail


def test_rolled_back_transaction_leaves_nothing_on_disk(
    private_media, django_capture_on_commit_callbacks
):
    document = DocumentFactory()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        add_document_file(
            document=document, language="en", upload=ContentFile(sample_pdf(), "a.pdf")
        )
        raise RuntimeError("something later in the same save failed")

    assert files_on_disk(private_media) == []
    assert not DocumentFile.objects.exists()


def test_failed_write_removes_the_row(
    private_media, django_capture_on_commit_callbacks, monkeypatch
):
    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(DocumentFile._meta.get_field("file").storage, "save", disk_full)

    with pytest.raises(OSError, match="disk full"):
        upload(DocumentFactory(), sample_pdf(), "a.pdf", django_capture_on_commit_callbacks)

    assert not DocumentFile.objects.exists()


def test_removed_file_leaves_the_disk_after_commit(
    private_media, django_capture_on_commit_callbacks
):
    stored = upload(DocumentFactory(), sample_pdf(), "a.pdf", django_capture_on_commit_callbacks)
    stored.refresh_from_db()
    assert len(files_on_disk(private_media)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        remove_document_file(document_file=stored)

    assert files_on_disk(private_media) == []
