"""Thumbnails and text of stored files: pure functions from bytes on disk to bytes.

PDFs are rendered and read with pypdfium2 (PDFium, Chrome's PDF engine); images are
scaled with Pillow. Nothing here touches the database.
"""

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from .uploads import IMAGES, PDF, image_pixels_fit, pdf_page_size_fits

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


class PreviewRefused(ValueError):
    """The file would take far more memory to render than a thumbnail is worth."""


def thumbnail_image(path: Path, content_type: str) -> bytes | None:
    """A WebP of the first page of a PDF, or of an image; None for other files.
    PreviewRefused when its size (read before decoding) is beyond the upload limits:
    such a file is refused at upload, so here it can only be an old or forged one."""
    if content_type == PDF:
        image = _first_pdf_page(path)
    elif content_type in IMAGES:
        image = _image_thumbnail(path)
    else:
        return None
    image.thumbnail(THUMBNAIL_BOX)
    buffer = io.BytesIO()
    image.save(buffer, format=THUMBNAIL_FORMAT, quality=THUMBNAIL_QUALITY, method=6)
    return buffer.getvalue()


def _image_thumbnail(path: Path) -> Image.Image:
    with Image.open(path) as opened:
        if not image_pixels_fit(opened):
            raise PreviewRefused(f"{opened.format} of {opened.width}×{opened.height} pixels")
        opened.seek(0)  # the first frame of an animated GIF or WebP
        opened.draft("RGB", THUMBNAIL_BOX)  # JPEG decodes at 1/2, 1/4 or 1/8 scale
        # Scaled down before the copies that turning and converting make.
        opened.thumbnail(THUMBNAIL_BOX)
        return ImageOps.exif_transpose(opened).convert("RGB")


def _first_pdf_page(path: Path) -> Image.Image:
    """The first page rendered to fit the thumbnail's box: the scale follows from both
    sides, so a page 8 points wide and 14,400 long renders as a few pixels, not 1.5 GB."""
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        width, height = page.get_size()
        if not pdf_page_size_fits(width, height):
            raise PreviewRefused(f"page of {width:.0f}×{height:.0f} points")
        scale = min(THUMBNAIL_BOX[0] / width, THUMBNAIL_BOX[1] / height)
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        return bitmap.to_pil().convert("RGB")
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
