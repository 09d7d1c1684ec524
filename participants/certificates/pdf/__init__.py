"""Drawing certificates and letters as PDF (fpdf2), with an embedded Unicode font.

The font is DejaVu Sans (vendored beside this file with its licence), embedded as a
subset, so every name in Latin, Greek or Cyrillic script renders (ñ, é, ã, ł, ş…) and the
text can be copied or extracted back (fpdf2 writes the ToUnicode map). This module only
draws: the words come ready from participants.certificates.selectors.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts" / "dejavu-2.37"
FONT = "DejaVuSans"
GREY = (90, 90, 90)
BRAND = (0, 84, 140)


@dataclass(frozen=True)
class PrintedDocument:
    """Everything one PDF shows, already in its language."""

    landscape: bool
    language: str
    event_name: str
    title: str
    paragraphs: list[str]
    signature: str
    code: str
    code_label: str
    verify_label: str
    verify_url: str
    # A line drawn larger wherever a paragraph starts with it (the person's name).
    highlight: str = ""


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=1)
    buffer.seek(0)
    return buffer


def _new_pdf(document: PrintedDocument) -> FPDF:
    pdf = FPDF(orientation="L" if document.landscape else "P", unit="mm", format="A4")
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_title(document.title)
    pdf.set_subject(document.event_name)
    pdf.set_creator("San José Dialogue")
    pdf.set_lang(document.language)
    pdf.set_margins(left=25, top=22, right=25)
    pdf.set_auto_page_break(auto=True, margin=45)
    pdf.add_page()
    return pdf


def _body(pdf: FPDF, document: PrintedDocument, *, align: str) -> None:
    size, height = (12.5, 7) if document.landscape else (11, 6)
    for paragraph in document.paragraphs:
        first, _newline, rest = paragraph.partition("\n")
        if document.highlight and first == document.highlight:
            pdf.set_font(FONT, "B", size + 6)
            pdf.multi_cell(0, height + 3, first, align=align, new_x="LMARGIN", new_y="NEXT")
            paragraph = rest
        pdf.set_font(FONT, "", size)
        if paragraph:
            pdf.multi_cell(0, height, paragraph, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)


def _footer(pdf: FPDF, document: PrintedDocument) -> None:
    """The verification block at the foot of the page: a QR code of the verification
    URL, the code and where to check it."""
    size = 28
    top = pdf.h - 18 - size
    pdf.set_auto_page_break(auto=False)  # the block sits in the bottom margin the body keeps free
    pdf.image(_qr_png(document.verify_url), x=pdf.l_margin, y=top, w=size, h=size)
    pdf.set_xy(pdf.l_margin + size + 6, top + 4)
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, document.code_label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + size + 6)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, document.code, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + size + 6)
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, f"{document.verify_label} {document.verify_url}")


def render_pdf(document: PrintedDocument) -> bytes:
    """The PDF of `document`: a landscape certificate or a portrait letter."""
    pdf = _new_pdf(document)
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 6, document.event_name, align="C" if document.landscape else "L")
    pdf.ln(16 if document.landscape else 12)
    pdf.set_text_color(*BRAND)
    pdf.set_font(FONT, "B", 26 if document.landscape else 18)
    pdf.multi_cell(0, 12 if document.landscape else 9, document.title, align="C")
    pdf.ln(8)
    pdf.set_text_color(20, 20, 20)
    _body(pdf, document, align="C" if document.landscape else "J")
    if document.signature:
        pdf.ln(6)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, document.signature, align="C" if document.landscape else "L")
    _footer(pdf, document)
    return bytes(pdf.output())
