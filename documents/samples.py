"""Small, real files for the demo and the tests: a one-page text PDF, a PNG.

The PDF is written by hand (PDF 1.4, the standard Helvetica fonts, WinAnsi encoding
so Spanish accents survive), so PDFium renders it and extracts its text like any
other; the output is deterministic, so re-running the demo finds the same checksum.
"""

import io
import textwrap

from PIL import Image, ImageDraw

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
BRAND = (11, 85, 99)


def text_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page A4 PDF: a coloured band with the title, then the paragraphs."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, width=92) or [""])
        lines.append("")
    body = " T* ".join(f"({_escape(line)}) Tj" for line in lines[:60])
    title_lines = textwrap.wrap(title, width=48)[:2]
    heading = " T* ".join(f"({_escape(line)}) Tj" for line in title_lines)
    r, g, b = (c / 255 for c in BRAND)
    content = (
        f"{r:.3f} {g:.3f} {b:.3f} rg 0 742 {PAGE_WIDTH} 100 re f\n"
        f"BT 1 1 1 rg /F2 18 Tf 22 TL 48 806 Td {heading} ET\n"
        f"BT 0 0 0 rg /F1 10 Tf 13 TL 48 712 Td {body} ET\n"
    ).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return _assemble(objects)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _assemble(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def png_image(label: str, size: tuple[int, int] = (640, 420)) -> bytes:
    """A plain PNG: a brand-coloured card with a label."""
    image = Image.new("RGB", size, BRAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, size[0] - 24, size[1] - 24), outline=(255, 255, 255), width=4)
    draw.text((48, 48), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
