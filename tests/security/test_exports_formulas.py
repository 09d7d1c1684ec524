"""No exported cell can become a formula, whatever separator the spreadsheet splits on
(Spanish-locale spreadsheets split on ";"), and XLSX cells stay inert."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from participants.desk.services import (
    FORMULA_STARTS,
    csv_lines,
    export_response,
    spreadsheet_safe,
    xlsx_file,
)
from participants.groups.selectors import group_list_listing
from tests.factories import GroupFactory, MembershipFactory, StaffUserFactory

SEPARATORS = [",", ";", "\t", "|"]
POISON = [
    "Org;=1+1",
    "Org,=1+1",
    "Org\t=1+1",
    "Org|=1+1",
    "Org; =HYPERLINK(1)",
    'Org;"=1+1',
    "Line one\n=1+1",
    "Line one\r\n@SUM(A1)",
    "=1+1",
    "+506 2222 2222",
    "-2+3",
    "@cmd",
    "\t=1",
    "\r=1",
    " =1+1",
    "\uff1d1+1",
    "a;;;-1",
]


def naive_cells(text: str, separator: str) -> list[str]:
    """Cells as a reader that ignores quotes and splits on `separator` and line breaks."""
    return [cell for line in re.split(r"\r\n|\r|\n", text) for cell in line.split(separator)]


def runs_as_formula(cell: str) -> bool:
    return cell.strip(' "\u00a0').startswith(FORMULA_STARTS)


def exported_csv(values: list[str]) -> str:
    return "".join(csv_lines(headers=["value"], rows=[[v] for v in values]))[1:]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_no_cell_starts_a_formula_whatever_the_separator(separator):
    text = exported_csv(POISON)

    cells = naive_cells(text, separator)

    assert [c for c in cells if runs_as_formula(c)] == []


def test_every_field_is_quoted_and_reads_back_with_the_guard():
    text = exported_csv(["Org;=1+1", "plain"])

    assert text.splitlines()[1] == '"Org;\'=1+1"'
    assert text.splitlines()[2] == '"plain"'
    assert list(csv.reader(io.StringIO(text))) == [["value"], ["Org;'=1+1"], ["plain"]]


def test_a_semicolon_reader_that_honours_quotes_sees_one_inert_cell():
    text = exported_csv(["Org;=1+1"])

    rows = list(csv.reader(io.StringIO(text), delimiter=";"))

    assert rows[1] == ["Org;'=1+1"]


def test_harmless_values_are_left_alone():
    assert spreadsheet_safe("Red Costa Rica, ECPAT") == "Red Costa Rica, ECPAT"
    assert spreadsheet_safe("José; María") == "José; María"
    assert spreadsheet_safe(42) == 42
    assert spreadsheet_safe(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize("separator", SEPARATORS)
def test_the_admin_group_and_world_cafe_csv_use_the_same_pipeline(separator):
    group = GroupFactory()
    for value in POISON:
        MembershipFactory(group=group, participant__organisation=value)
    listing = group_list_listing(event_id=group.event_id)

    response = export_response(user=StaffUserFactory(), listing=listing, file_format="csv")

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [c for c in naive_cells(text, separator) if runs_as_formula(c)] == []
    assert text.splitlines()[0].startswith('"group","kind"')


def test_xlsx_cells_stay_inert():
    handle = xlsx_file(headers=["value"], rows=[[v] for v in POISON], title="t")

    sheet = load_workbook(handle).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]

    assert [c.data_type for c in cells] == ["s"] * len(POISON)
    # XML keeps line breaks as "\n": the text is otherwise the same, with no apostrophe.
    assert [c.value for c in cells] == [re.sub(r"\r\n?", "\n", v) for v in POISON]
    assert all(c.quotePrefix for c in cells if runs_as_formula(c.value))
