"""What may be uploaded to the library: checked by content, not by name.

`check_upload` reads the file (never trusting its name or the browser's content type),
and either returns what the library stores about it or raises a ValidationError whose
message the admin shows next to the field. It writes nothing.
"""

import hashlib
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import filetype
import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
IMAGES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}

# Content type -> the file name endings that may carry it.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: ("pdf",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    PPTX: ("pptx",),
    ODT: ("odt",),
    ODS: ("ods",),
    ODP: ("odp",),
    DOC: ("doc",),
    XLS: ("xls",),
    PPT: ("ppt",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
}
OLE_EXTENSIONS = {"doc": DOC, "xls": XLS, "ppt": PPT}
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
ODF_TYPES = {ODT, ODS, ODP}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Decoding costs memory by the pixel, whatever the file's size (a lossless WebP of a few
# bytes can be 6000×6000). The limit is read from the header, before anything is decoded,
# and depends on the format: measured peaks per decoded megapixel are about 15 MB for
# WebP (libwebp decodes to RGBA, then copies), 4.5 MB for PNG, 3 MB for a progressive
# JPEG (a baseline one decodes at 1/8 scale). Each limit keeps one image near 120 MB.
IMAGE_PIXEL_LIMITS = {"JPEG": 24_000_000, "PNG": 24_000_000, "GIF": 24_000_000, "WEBP": 8_000_000}
HEAD_BYTES = 8192
# Zip-based formats (Word, Excel, PowerPoint, OpenDocument): limits read from the
# archive's directory before any entry is inflated. Real documents stay far below them:
# XML compresses 5-20 times, images not at all.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_ZIP_RATIO = 150  # per entry above ZIP_RATIO_FLOOR bytes
ZIP_RATIO_FLOOR = 1024 * 1024
MAX_MIMETYPE_BYTES = 100  # the ODF "mimetype" entry names one type
# PDF pages: 14,400 points (200 inches) is the format's own limit for a side; a page far
# thinner than it is long is a trick, not a document.
MAX_PDF_PAGE_POINTS = 14_400
MAX_PDF_PAGE_RATIO = 20


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024


def check_upload(*, upload: File, file_name: str) -> CheckedUpload:
    """The upload's safe name, content type (from its bytes), size and SHA-256; or a
    ValidationError saying why it is refused."""
    name = plain_file_name(file_name)
    size = _checked_size(upload)
    content_type = _content_type(upload, name)
    return CheckedUpload(name=name, content_type=content_type, size=size, sha256=_sha256(upload))


def plain_file_name(file_name: str) -> str:
    """The name as given, if it is a plain file name: no folders, no control characters."""
    name = unicodedata.normalize("NFC", (file_name or "").strip())
    has_control = any(unicodedata.category(ch).startswith("C") for ch in name)
    if not name or "/" in name or "\\" in name or name.startswith(".") or has_control:
        raise ValidationError(
            _("The file name must be a plain name such as report.pdf, without folders."),
            code="unsafe_name",
        )
    if len(name) > 200:
        raise ValidationError(_("The file name is too long (200 characters at most)."))
    return name


def _checked_size(upload: File) -> int:
    size = upload.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_upload_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": settings.DOCUMENT_MAX_UPLOAD_MB},
            code="too_large",
        )
    return size


def _content_type(upload: File, name: str) -> str:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"PK\x03\x04"):
        content_type = _office_zip_type(upload)
    elif head.startswith(OLE_SIGNATURE):
        content_type = OLE_EXTENSIONS.get(extension)
    else:
        kind = filetype.guess(head)
        content_type = kind.mime if kind else None
    if content_type not in EXTENSIONS:
        raise ValidationError(
            _(
                "This kind of file cannot be uploaded. Allowed: PDF, Word, PowerPoint, "
                "Excel, OpenDocument, and PNG, JPEG, GIF or WebP images."
            ),
            code="file_type",
        )
    if extension not in EXTENSIONS[content_type]:
        raise ValidationError(
            _("The file's content does not match its name: rename it to end in .%(ext)s.")
            % {"ext": EXTENSIONS[content_type][0]},
            code="extension",
        )
    if content_type == PDF:
        _check_pdf(upload)
    elif content_type in IMAGES:
        _check_image(upload, IMAGES[content_type])
    return content_type


def _office_zip_type(upload: File) -> str | None:
    """Word, Excel and PowerPoint (OOXML) or OpenDocument; any other zip is refused, and
    so is one whose entries would inflate beyond the limits (see `check_zip_limits`)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            check_zip_limits(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.getinfo("mimetype").file_size > MAX_MIMETYPE_BYTES:
                    raise _zip_bomb()
                with archive.open("mimetype") as entry:
                    declared = entry.read(MAX_MIMETYPE_BYTES).decode("ascii", "replace").strip()
                return declared if declared in ODF_TYPES else None
            if "[Content_Types].xml" not in names:
                return None
            return next((t for part, t in OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError):
        return None
    finally:
        upload.seek(0)


def check_zip_limits(archive: zipfile.ZipFile) -> None:
    """Refuse an archive with too many entries, or whose entries would inflate beyond the
    limits in total or one by one, from its directory alone: nothing is decompressed.
    (Reading an entry later cannot exceed its declared size: zipfile stops there.)"""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _zip_bomb()
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > ZIP_RATIO_FLOOR and ratio > MAX_ZIP_RATIO:
            raise _zip_bomb()
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise _zip_bomb()


def _zip_bomb() -> ValidationError:
    return ValidationError(
        _(
            "This file would unpack to far more than its size (more than %(entries)s parts, "
            "%(total)s MB in all, or one part %(ratio)s times its compressed size), as a "
            "damaged or malicious file does. Save it again from its application and upload "
            "that copy."
        )
        % {
            "entries": f"{MAX_ZIP_ENTRIES:,}",
            "total": MAX_ZIP_UNCOMPRESSED_BYTES // (1024 * 1024),
            "ratio": MAX_ZIP_RATIO,
        },
        code="zip_bomb",
    )


def _check_pdf(upload: File) -> None:
    """A readable PDF whose first page (the one the thumbnail shows) has a sane size,
    read from the page's box: nothing is rendered here."""
    upload.seek(0)
    try:
        document = pdfium.PdfDocument(upload.read())
        try:
            pages = len(document)
            width, height = document[0].get_size() if pages else (0, 0)
        finally:
            document.close()
    except pdfium.PdfiumError:
        pages = 0
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError(
            _("This PDF cannot be read: it is damaged or protected by a password."),
            code="pdf",
        )
    if not pdf_page_size_fits(width, height):
        raise ValidationError(
            _(
                "The first page of this PDF is %(width)s × %(height)s points; pages may be at "
                "most %(max)s points a side and %(ratio)s times longer than wide."
            )
            % {
                "width": f"{width:,.0f}",
                "height": f"{height:,.0f}",
                "max": f"{MAX_PDF_PAGE_POINTS:,}",
                "ratio": MAX_PDF_PAGE_RATIO,
            },
            code="pdf_page_size",
        )


def pdf_page_size_fits(width: float, height: float) -> bool:
    if min(width, height) < 1 or max(width, height) > MAX_PDF_PAGE_POINTS:
        return False
    return max(width, height) / min(width, height) <= MAX_PDF_PAGE_RATIO


def image_pixels_fit(image: Image.Image) -> bool:
    """Whether an opened (not yet decoded) image is within its format's pixel limit."""
    limit = IMAGE_PIXEL_LIMITS.get(image.format or "", 0)
    return image.width * image.height <= limit


def too_many_pixels_message(image_format: str) -> str:
    return _(
        "This image has too many pixels: at most %(megapixels)s megapixels for a %(format)s "
        "image. Save a smaller copy and upload that."
    ) % {
        "megapixels": IMAGE_PIXEL_LIMITS.get(image_format, 0) // 1_000_000,
        "format": {"WEBP": "WebP"}.get(image_format, image_format),
    }


def _check_image(upload: File, expected_format: str) -> None:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                readable = image.format == expected_format
                fits = image_pixels_fit(image)
                if readable and fits:
                    image.verify()
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        readable = False
    finally:
        upload.seek(0)
    if not readable:
        raise ValidationError(_("This image cannot be read."), code="image")
    if not fits:
        raise ValidationError(too_many_pixels_message(expected_format), code="image_pixels")


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
