"""Thumbnails and text of stored files: pure functions from bytes on disk to bytes.

PDFs are rendered and read with pypdfium2 (PDFium, Chrome's PDF engine); images are
scaled with Pillow. Nothing here touches the database.
"""

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from .uploads import IMAGES, PDF

THUMBNAIL_WIDTH = 320
THUMBNAIL_BOX = (THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 3 // 2)
# WebP: a first page at 320 px is ~10 KB instead of ~60 KB as PNG (a slow phone link
# pays for every thumbnail of /documents/ and /me/).
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_SUFFIX = ".webp"
THUMBNAIL_CONTENT_TYPE = "image/webp"
THUMBNAIL_QUALITY = 72
# Enough for search over a long report without keeping whole books in the database.
MAX_TEXT_CHARS = 200_000


def has_preview(content_type: str) -> bool:
    return content_type == PDF or content_type in IMAGES


def thumbnail_image(path: Path, content_type: str) -> bytes | None:
    """A WebP of the first page of a PDF, or of an image; None for other files."""
    if content_type == PDF:
        image = _first_pdf_page(path)
    elif content_type in IMAGES:
        with Image.open(path) as opened:
            opened.seek(0)  # the first frame of an animated GIF or WebP
            image = ImageOps.exif_transpose(opened).convert("RGB")
    else:
        return None
    image.thumbnail(THUMBNAIL_BOX)
    buffer = io.BytesIO()
    image.save(buffer, format=THUMBNAIL_FORMAT, quality=THUMBNAIL_QUALITY, method=6)
    return buffer.getvalue()


def _first_pdf_page(path: Path) -> Image.Image:
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        scale = THUMBNAIL_WIDTH / max(page.get_width(), 1)
        return page.render(scale=scale, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
    finally:
        document.close()


def pdf_text(path: Path) -> str:
    """The text of a PDF, page after page, cut at MAX_TEXT_CHARS."""
    document = pdfium.PdfDocument(str(path))
    parts: list[str] = []
    length = 0
    try:
        for page in document:
            text = page.get_textpage().get_text_bounded()
            parts.append(text)
            length += len(text)
            if length >= MAX_TEXT_CHARS:
                break
    finally:
        document.close()
    return "\n".join(parts)[:MAX_TEXT_CHARS].replace("\x00", "")
