"""Decompression bombs: files of a few bytes that decode to gigabytes. Each is refused
by a limit read before decoding (a message for the uploader), and what does run stays
within a bounded amount of memory (measured in a subprocess: Pillow and PDFium allocate
outside Python's allocator, where tracemalloc cannot see)."""

import io
import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from documents import previews, uploads
from documents.samples import _assemble
from participants.registration.forms import ProfileForm
from participants.registration.services.invitations import ImportFileError, read_rows
from participants.registration.services.profiles import PhotoError, clean_photo

# A child process's peak memory may grow this much above its own baseline (Django and
# the libraries imported). The bombs took 680 MB (photo) and 1.5 GB (PDF page) before.
MEMORY_HEADROOM_MB = 60


def lossless_webp(width: int, height: int) -> bytes:
    """A real, decodable lossless WebP of one colour at any size, in 36 bytes: a one-colour
    VP8L bitstream does not depend on the size, so a 16×16 one gets new dimensions."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 90, 100)).save(buffer, "WEBP", lossless=True)
    data = bytearray(buffer.getvalue())
    header = data.index(b"VP8L") + 9  # after the chunk size and the 0x2f signature
    bits = int.from_bytes(data[header : header + 4], "little")
    bits = (bits & ~((1 << 28) - 1)) | (width - 1) | ((height - 1) << 14)
    data[header : header + 4] = bits.to_bytes(4, "little")
    return bytes(data)


def pdf_with_page(width: float, height: float) -> bytes:
    """A valid one-page PDF with an empty page of that size (about 400 bytes)."""
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] >>".encode(),
        ]
    )


def padded_odt(padding_mb: int) -> bytes:
    """An OpenDocument text whose `mimetype` entry is the type followed by megabytes of
    spaces: deflated, the file stays a few hundred kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as odt:
        with odt.open("mimetype", "w") as entry:
            entry.write(b"application/vnd.oasis.opendocument.text")
            block = b" " * (1024 * 1024)
            for _ in range(padding_mb):
                entry.write(block)
        odt.writestr("content.xml", b"<office:document-content/>")
    return buffer.getvalue()


def peak_memory_mb(code: str, payload: bytes) -> dict:
    """Run `code` in a fresh Django process with `payload` as the bytes `data`; returns
    its peak resident memory above the baseline taken just before `code` runs."""
    script = textwrap.dedent(
        """
        import json, resource, sys
        import django
        django.setup()
        from documents import previews, uploads
        from participants.registration.services import profiles
        from django.core.files.base import ContentFile
        from pathlib import Path
        data = sys.stdin.buffer.read()
        path = Path(sys.argv[1]); path.write_bytes(data)
        peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        before = peak()
        outcome = "done"
        try:
        {code}
        except Exception as error:
            outcome = type(error).__name__
        print(json.dumps({{"grew_mb": peak() - before, "outcome": outcome}}))
        """
    ).format(code=textwrap.indent(textwrap.dedent(code), " " * 4))
    target = Path(settings.MEDIA_ROOT) / "payload.bin"
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        input=payload,
        capture_output=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "sanjose.settings"},
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


# --- The profile photo --------------------------------------------------------------


def test_the_lossless_webp_bomb_is_tiny_and_really_6000_pixels_square():
    bomb = lossless_webp(6000, 6000)

    assert len(bomb) < 100
    with Image.open(io.BytesIO(bomb)) as image:
        assert (image.format, image.size) == ("WEBP", (6000, 6000))


def test_a_6000_square_webp_photo_is_refused_before_decoding_in_bounded_memory():
    measured = peak_memory_mb(
        "profiles.clean_photo(ContentFile(data, name='me.webp'))", lossless_webp(6000, 6000)
    )

    assert measured["outcome"] == "PhotoError"
    assert measured["grew_mb"] < MEMORY_HEADROOM_MB, measured


def test_the_profile_form_says_why_the_photo_is_refused():
    upload = SimpleUploadedFile("me.webp", lossless_webp(6000, 6000), content_type="image/webp")

    form = ProfileForm({}, {"photo": upload}, needs_consent=False)

    assert not form.is_valid()
    assert form.errors["photo"] == [
        "This image has too many pixels: at most 8 megapixels for a WebP image. Save a "
        "smaller copy and upload that."
    ]


def test_the_largest_accepted_webp_photo_is_cleaned_in_bounded_memory():
    """WebP is the costliest format to decode (about 15 MB a megapixel): its limit, 8
    megapixels, is what keeps one photo near 120 MB; scaled down before the copies that
    turning and converting make."""
    measured = peak_memory_mb(
        "profiles.clean_photo(ContentFile(data, name='me.webp'))", lossless_webp(4000, 2000)
    )

    assert measured["outcome"] == "done"
    assert measured["grew_mb"] < 160, measured


def test_the_limit_is_the_pixel_count_not_the_file_size():
    with pytest.raises(PhotoError, match="too_many_pixels"):
        clean_photo(ContentFile(lossless_webp(5000, 5000), name="me.webp"))
    assert clean_photo(ContentFile(lossless_webp(800, 600), name="me.webp")).size > 0


def test_a_library_image_beyond_the_limit_is_refused_with_its_reason():
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload=ContentFile(lossless_webp(6000, 6000)), file_name="map.webp")

    assert refused.value.messages == [
        "This image has too many pixels: at most 8 megapixels for a WebP image. Save a "
        "smaller copy and upload that."
    ]


def test_an_oversized_library_image_already_stored_gets_no_thumbnail(tmp_path):
    path = tmp_path / "old.webp"
    path.write_bytes(lossless_webp(6000, 6000))

    with pytest.raises(previews.PreviewRefused):
        previews.thumbnail_image(path, "image/webp")


# --- The PDF page ---------------------------------------------------------------------


def test_a_pdf_with_an_8_by_14400_point_page_is_refused_at_upload():
    bomb = pdf_with_page(8, 14_400)
    assert len(bomb) < 600

    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload=ContentFile(bomb), file_name="thin.pdf")

    assert refused.value.messages == [
        "The first page of this PDF is 8 × 14,400 points; pages may be at most 14,400 "
        "points a side and 20 times longer than wide."
    ]


@pytest.mark.parametrize("size", [(8, 14_400), (14_400, 8), (0.5, 300), (20_000, 20_000)])
def test_pages_of_absurd_size_are_refused(size):
    with pytest.raises(ValidationError):
        uploads.check_upload(upload=ContentFile(pdf_with_page(*size)), file_name="odd.pdf")


def test_the_thumbnail_of_a_stored_thin_page_is_refused_in_bounded_memory():
    """A file stored before the upload check (or put there another way) never renders
    at a scale taken from its width alone."""
    measured = peak_memory_mb(
        "previews.thumbnail_image(path, 'application/pdf')", pdf_with_page(8, 14_400)
    )

    assert measured["outcome"] == "PreviewRefused"
    assert measured["grew_mb"] < MEMORY_HEADROOM_MB, measured


@pytest.mark.parametrize("size", [(14_400, 14_400), (720, 14_400), (612, 792)])
def test_an_accepted_page_renders_to_fit_the_box_in_bounded_memory(size):
    measured = peak_memory_mb(
        """
        from PIL import Image
        import io
        image = previews.thumbnail_image(path, 'application/pdf')
        width, height = Image.open(io.BytesIO(image)).size
        assert width <= 320 and height <= 480, (width, height)
        """,
        pdf_with_page(*size),
    )

    assert measured["outcome"] == "done"
    assert measured["grew_mb"] < MEMORY_HEADROOM_MB, measured


# --- Zip-based formats ---------------------------------------------------------------


def test_an_odt_whose_mimetype_entry_is_300_mb_of_padding_is_refused_unread():
    bomb = padded_odt(300)
    assert len(bomb) < 400 * 1024

    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            uploads.check_upload(upload=ContentFile(bomb), file_name="notes.odt")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert refused.value.code == "zip_bomb"
    assert "would unpack to far more than its size" in refused.value.messages[0]
    assert peak < 5 * 1024 * 1024  # the 300 MB entry was never read


def office_zip(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@pytest.mark.parametrize(
    "parts",
    [
        {**DOCX_PARTS, "word/document.xml": b"\0" * (20 * 1024 * 1024)},  # one part, ratio
        {**DOCX_PARTS, **{f"word/media/{n}.xml": b"<a/>" for n in range(5_001)}},  # entries
    ],
    ids=["ratio", "entries"],
)
def test_docx_archives_beyond_the_limits_are_refused(parts):
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload=ContentFile(office_zip(parts)), file_name="notes.docx")

    assert refused.value.code == "zip_bomb"


def test_the_total_uncompressed_size_is_capped(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNCOMPRESSED_BYTES", 1024 * 1024)
    parts = {**DOCX_PARTS, "word/media/a.bin": os.urandom(700_000)}
    parts["word/media/b.bin"] = os.urandom(700_000)

    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload=ContentFile(office_zip(parts)), file_name="notes.docx")

    assert refused.value.code == "zip_bomb"


def test_ordinary_office_files_still_pass():
    xml = b"<w:p>" + b"Lorem ipsum dolor sit amet. " * 40_000 + b"</w:p>"  # 1.1 MB, ratio ~ 400?
    real = {**DOCX_PARTS, "word/document.xml": xml[:200_000]}
    checked = uploads.check_upload(upload=ContentFile(office_zip(real)), file_name="notes.docx")
    assert checked.content_type == uploads.DOCX
    odt = office_zip(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"},
        compression=zipfile.ZIP_STORED,
    )
    assert uploads.check_upload(upload=ContentFile(odt), file_name="n.odt").content_type == (
        uploads.ODT
    )


def test_an_invitation_xlsx_bomb_is_refused_before_openpyxl_inflates_it():
    parts = {
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": b"<workbook/>",
        "xl/worksheets/sheet1.xml": b" " * (50 * 1024 * 1024),
    }
    upload = SimpleUploadedFile("invitees.xlsx", office_zip(parts))

    with pytest.raises(ImportFileError, match="would unpack to far more than its size"):
        read_rows(upload=upload)
