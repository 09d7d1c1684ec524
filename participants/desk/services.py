"""Badges' check-in codes and the check-in desk.

A badge's QR code carries `check_in_code(registration)`: the registration's random
check-in secret, signed with the site's key (django.core.signing, its own salt). The desk
accepts only a code whose signature holds, so a code cannot be made up from a
registration number, and an altered one is refused before any lookup. Under the QR code
the badge shows the registration's short desk code (8 characters from an alphabet without
look-alikes), stored and unique, for the desk to type; revoking a badge renews both.

Writing organisers' lists as CSV (streamed) or XLSX (write-only), and logging each export.

A list of people holds personal data, so every export leaves an `ExportLog` row: who,
when, which list and filters, how many rows. Never the data itself.

Spreadsheets run a cell that starts with =, +, -, @, a tab or a carriage return as a
formula ("CSV injection"). Which characters separate the cells is the reader's choice:
a Spanish-locale spreadsheet splits on ";", another on tabs, and some ignore quotes. So
`spreadsheet_safe` is the one guard for every CSV this site writes (these lists and the
admin's group and World Café files): it puts an apostrophe before a formula start at the
beginning of the value AND after any separator or line break inside it, and every field
is quoted. Whatever the reader splits on, no cell begins with a formula character. XLSX
cells are never split: a formula-like one is stored as quoted text (a string cell with
Excel's quote prefix), because openpyxl would otherwise write "=..." as a live formula.
"""

import csv
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from events.models import EventDay
from participants.desk.selectors.exports import Listing
from participants.models import CheckIn, ExportLog, Registration
from participants.registration.models import DESK_CODE_ALPHABET, DESK_CODE_LENGTH, new_desk_code
from sanjose import clock
from sanjose.pagecache import request_scope

SALT = "participants.check-in"


class Outcome(StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NOT_APPROVED = "not_approved"
    NOT_THIS_DAY = "not_this_day"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckInResult:
    outcome: Outcome
    registration: Registration | None = None
    day: date | None = None
    checked_in_at: datetime | None = None


def check_in_code(registration: Registration) -> str:
    """The signed code a badge's QR code shows; stable for the registration."""
    return signing.Signer(salt=SALT).sign(registration.check_in_secret)


def desk_code_display(code: str) -> str:
    """A desk code in two groups of four, easier to read aloud: "K7MP-3QXD"."""
    return f"{code[:4]}-{code[4:]}"


def normalised_desk_code(text: str) -> str | None:
    """A typed desk code without spaces or dashes, in capitals; None if it cannot be one."""
    code = re.sub(r"[\s\-–]", "", text).upper()
    if len(code) == DESK_CODE_LENGTH and all(c in DESK_CODE_ALPHABET for c in code):
        return code
    return None


def registration_for_code(code: str) -> Registration | None:
    """The registration a typed desk code or a genuine signed code names; None for an
    unknown, forged or altered one."""
    registrations = Registration.objects.select_related("participant", "type", "event")
    desk_code = normalised_desk_code(code)
    if desk_code is not None:
        return registrations.filter(desk_code=desk_code).first()
    try:
        secret = signing.Signer(salt=SALT).unsign(code.strip())
    except signing.BadSignature:
        return None
    return registrations.filter(check_in_secret=secret).first()


@transaction.atomic
def revoke_badge(*, registration: Registration) -> Registration:
    """Give the registration a new badge: a new check-in secret and desk code, so the old
    QR code and the old desk code are refused from now on. Sends nothing."""
    registration.check_in_secret = secrets.token_urlsafe()
    registration.desk_code = new_desk_code()
    registration.save(update_fields=["check_in_secret", "desk_code", "updated_at"])
    return registration


def event_day_today(registration: Registration) -> date:
    """Today's date in the event's own time zone."""
    return clock.now().astimezone(registration.event.zone).date()


def check_in_by_code(*, code: str, by: AbstractBaseUser) -> CheckInResult:
    """Check in the holder of a badge code for today; see `check_in`."""
    registration = registration_for_code(code)
    if registration is None:
        return CheckInResult(Outcome.UNKNOWN)
    return check_in(registration=registration, by=by)


@transaction.atomic
def check_in(*, registration: Registration, by: AbstractBaseUser) -> CheckInResult:
    """Record that `registration` arrived today (event time), once per day.

    Writes at most one CheckIn row; sends nothing. Refuses a registration that is not
    approved and a day its registration type does not cover. Two desks scanning the same
    badge at once make one row: the unique (registration, day) constraint lets one insert
    win and the other reads it back.
    """
    day = event_day_today(registration)
    if not registration.is_approved:
        return CheckInResult(Outcome.NOT_APPROVED, registration, day)
    if not _covers(registration, day):
        return CheckInResult(Outcome.NOT_THIS_DAY, registration, day)
    check_in, created = CheckIn.objects.get_or_create(
        registration=registration,
        day=day,
        defaults={"checked_in_at": clock.now(), "checked_in_by": by},
    )
    outcome = Outcome.CHECKED_IN if created else Outcome.ALREADY
    return CheckInResult(outcome, registration, day, check_in.checked_in_at)


def _covers(registration: Registration, day: date) -> bool:
    return EventDay.objects.filter(registration_types=registration.type_id, date=day).exists()


# The fullwidth forms count too: some spreadsheets read them as the ASCII ones.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A cell starts at the value's start or after anything a reader may split cells or lines
# on; spaces and quotes a reader may trim are skipped before the formula character.
_CELL_STARTS = re.compile(
    "(?:^|(?<=[,;|\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]))"
    '([ "\u00a0]*)'
    "([=+@\t\r\uff1d\uff0b\uff0d\uff20-])"
)


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.lstrip(' \u00a0"').startswith(FORMULA_STARTS)


def spreadsheet_safe(value: object) -> object:
    """The value as no spreadsheet can run it, however it splits cells: an apostrophe
    before every formula start at a cell boundary. Numbers, dates and None pass as they are."""
    if not isinstance(value, str):
        return value
    return _CELL_STARTS.sub(r"\1'\2", value)


# The name the lists used first; one guard either way.
neutralised = spreadsheet_safe


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(*, headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text line by line (with a BOM so Excel reads UTF-8), every field quoted and
    made spreadsheet-safe; nothing is kept. Streamed after the view has returned, so in a
    scope of its own: what each row asks for again (the event's zone for a time) is read
    once, not once per row."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    with request_scope():
        yield "\ufeff" + writer.writerow([spreadsheet_safe(h) for h in headers])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(value) for value in row])


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


def export_response(
    *,
    user: AbstractBaseUser,
    listing: Listing,
    file_format: str,
    row_count: int | None = None,
    filename: str | None = None,
) -> HttpResponse:
    """The one way a list of people leaves the site (staff pages and admin alike): logs
    the export, then answers with the file, CSV streamed row by row or an XLSX written
    to a temporary file, every cell through the formula guard.

    Writes one ExportLog row (before the first byte goes out, so an interrupted download
    is on record too); sends nothing.
    """
    count = listing.count() if row_count is None else row_count
    log_export(user=user, listing=listing, file_format=file_format, row_count=count)
    filename = filename or f"{listing.kind}-{clock.now():%Y%m%d-%H%M}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            csv_lines(headers=listing.headers, rows=listing.rows()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        file = xlsx_file(headers=listing.headers, rows=listing.rows(), title=listing.kind)
        response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response
