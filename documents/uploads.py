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
MAX_IMAGE_PIXELS = 50_000_000
HEAD_BYTES = 8192


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
    """Word, Excel and PowerPoint (OOXML) or OpenDocument; any other zip is refused."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in ODF_TYPES else None
            if "[Content_Types].xml" not in names:
                return None
            return next((t for part, t in OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)


def _check_pdf(upload: File) -> None:
    upload.seek(0)
    try:
        document = pdfium.PdfDocument(upload.read())
        pages = len(document)
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


def _check_image(upload: File, expected_format: str) -> None:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fits = image.format == expected_format
                fits = fits and image.width * image.height <= MAX_IMAGE_PIXELS
                image.verify()
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        fits = False
    finally:
        upload.seek(0)
    if not fits:
        raise ValidationError(
            _("This image cannot be read, or is larger than 50 megapixels."), code="image"
        )


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
