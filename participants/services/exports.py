"""Writing organisers' lists as CSV (streamed) or XLSX (write-only), and logging each export.

A list of people holds personal data, so every export leaves an `ExportLog` row: who,
when, which list and filters, how many rows. Never the data itself.

Spreadsheets run a cell that starts with =, +, -, @, a tab or a carriage return as a
formula ("CSV injection"). Both formats neutralise such text: CSV prefixes it with an
apostrophe, XLSX stores it as quoted text (a string cell with Excel's quote prefix),
because openpyxl would otherwise write "=..." as a live formula even in write-only mode.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sanjose import clock

from ..models import ExportLog
from ..selectors.exports import Listing

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralised(value: object) -> object:
    """The value as a spreadsheet shows it inert: text a formula could hide in gets a "'"."""
    return f"'{value}" if is_formula_like(value) else value


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(*, headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text line by line (with a BOM so Excel reads UTF-8); nothing is kept."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralised(h) for h in headers])
    for row in rows:
        yield writer.writerow([neutralised(value) for value in row])


def _quoted_text(sheet, value: str) -> WriteOnlyCell:
    """A string cell Excel shows as typed ("quoted text"), never run as a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _xlsx_row(sheet, row: Sequence) -> list:
    # Plain values stay plain: a cell object for each one would cost a quarter more time.
    return [_quoted_text(sheet, value) if is_formula_like(value) else value for value in row]


def xlsx_file(*, headers: Sequence[str], rows: Iterable[Sequence], title: str):
    """An XLSX workbook in a temporary file (rewound), written row by row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = [WriteOnlyCell(sheet, value=str(header)) for header in headers]
    for cell in header_cells:
        cell.font = bold
    sheet.append(header_cells)
    for row in rows:
        sheet.append(_xlsx_row(sheet, row))
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(output)
    output.seek(0)
    return output


@transaction.atomic
def log_export(
    *, user: AbstractBaseUser, listing: Listing, file_format: str, row_count: int
) -> ExportLog:
    """Record that `user` exported `listing` (its kind and filters, how many rows).

    Writes one ExportLog row; sends nothing.
    """
    return ExportLog.objects.create(
        user=user,
        at=clock.now(),
        kind=listing.kind,
        file_format=file_format,
        filters=listing.filters,
        row_count=row_count,
    )
