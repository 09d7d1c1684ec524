"""Invitations: import a list of invitees (CSV or XLSX) and send each a one-time link."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from documents.uploads import check_zip_limits
from events.models import Event
from participants.models import Invitation, RegistrationType
from sanjose.outbox.services import queue_email

COLUMNS = ("name", "email", "organisation", "type")


@dataclass
class ImportResult:
    created: list[Invitation] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong format, missing columns)."""


def _check_xlsx_limits(upload) -> None:
    """The library's zip limits, from the archive's directory, before openpyxl inflates
    anything (an XLSX is a zip)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            check_zip_limits(archive)
    except zipfile.BadZipFile:
        raise ImportFileError(_("This is not a readable XLSX file.")) from None
    except ValidationError as error:
        raise ImportFileError(error.messages[0]) from None
    finally:
        upload.seek(0)


def read_rows(*, upload) -> list[tuple[int, dict]]:
    """(line number, row) pairs from a CSV or XLSX file whose first line names the columns
    name, email, organisation, type. Line numbers are those a spreadsheet shows."""
    name = (getattr(upload, "name", "") or "").lower()
    upload.seek(0)
    if name.endswith(".xlsx"):
        _check_xlsx_limits(upload)
        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).active
            lines = [
                ["" if cell is None else str(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        except Exception as error:  # openpyxl raises many types for one bad file
            raise ImportFileError(_("This is not a readable XLSX file.")) from error
    elif name.endswith(".csv"):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(_("The CSV file must be saved as UTF-8.")) from None
        lines = list(csv.reader(io.StringIO(text)))
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if not lines:
        raise ImportFileError(_("The file is empty."))
    header = [cell.strip().lower() for cell in lines[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            _("The first line must name the columns: %(columns)s (missing: %(missing)s).")
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    index = {column: header.index(column) for column in COLUMNS}
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue
        rows.append(
            (number, {c: (line[i] if i < len(line) else "").strip() for c, i in index.items()})
        )
    return rows


@transaction.atomic
def import_invitations(
    *, event: Event, rows: list[tuple[int, dict]], expires_at: datetime, by
) -> ImportResult:
    """Create one Invitation per valid row and queue its invitation email (a mass mailing:
    sent after single emails).

    A row is refused (with its line number and why) when a field is missing or bad, the
    type is not one of the event's, or the email is already invited (in the event or
    earlier in the file); the other rows still go in.
    """
    types = _types_by_key(event)
    taken = {
        e.lower() for e in Invitation.objects.filter(event=event).values_list("email", flat=True)
    }
    result = ImportResult()
    pending = []
    for number, row in rows:
        error = _row_error(row, types, taken)
        if error:
            result.errors.append((number, error))
            continue
        taken.add(row["email"].lower())
        pending.append(
            Invitation(
                event=event,
                type=types[row["type"].lower()],
                email=row["email"],
                name=row["name"],
                organisation=row["organisation"],
                expires_at=expires_at,
            )
        )
    result.created = add_invitations(invitations=pending, by=by, bulk=True)
    return result


@transaction.atomic
def add_invitations(
    *, invitations: list[Invitation], by, bulk: bool = False, notify: bool = True
) -> list[Invitation]:
    """Create these (unsaved) invitations, recorded as made by `by`, and queue each its
    email with the one-time link (none when `notify` is false: the demo's invitees are
    invented); `bulk` for a mass mailing (an import: sent after single emails). The one
    way an invitation is made: the admin's form, the import and the demo."""
    creator = by if getattr(by, "is_authenticated", False) else None
    for invitation in invitations:
        invitation.created_by = creator
    created = Invitation.objects.bulk_create(invitations, batch_size=500)
    for invitation in created if notify else []:
        send_invitation(invitation=invitation, bulk=bulk)
    return created


def _types_by_key(event: Event) -> dict[str, RegistrationType]:
    """Types by slug and by English and Spanish name, lower-cased."""
    keys = {}
    for registration_type in RegistrationType.objects.filter(event=event):
        for key in (registration_type.slug, registration_type.name_en, registration_type.name_es):
            if key:
                keys[key.strip().lower()] = registration_type
    return keys


def _row_error(row: dict, types: dict, taken: set[str]) -> str:
    for column in ("name", "email", "type"):
        if not row[column]:
            return _("The %s is missing.") % column
    if len(row["name"]) > 200 or len(row["organisation"]) > 200:
        return _("The name or organisation is longer than 200 characters.")
    try:
        validate_email(row["email"])
    except ValidationError:
        return _("“%s” is not a valid email address.") % row["email"]
    if row["type"].lower() not in types:
        return _("“%s” is not a registration type of this event.") % row["type"]
    if row["email"].lower() in taken:
        return _("%s is already invited to this event.") % row["email"]
    return ""


def send_invitation(*, invitation: Invitation, occasion: str = "", bulk: bool = False) -> None:
    """Queue the invitation email with its one-time link (in English and Spanish: we do not
    know the invitee's language yet). A new `occasion` sends it again; `bulk` when it is
    one of many (an import)."""
    queue_email(
        recipient=invitation.email,
        kind="invitation",
        object_key=f"invitation:{invitation.pk}",
        occasion=occasion,
        bulk=bulk,
        template="invitation",
        language="en",
        secret=True,  # the one-time link pre-approves whoever follows it
        context={
            "invitation": invitation,
            "event": invitation.event,
            "registration_type": invitation.type,
            "accept_url": settings.SITE_URL + invitation.get_absolute_url(),
        },
    )
