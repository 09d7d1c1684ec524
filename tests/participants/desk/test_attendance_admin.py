import csv
import io

import pytest
from django.contrib.admin import helpers

from participants.models import ExportLog
from tests.factories import UserFactory
from tests.participants.staff_data import build_dialogue
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/participants/registration/"


@pytest.fixture
def admin_client(client):
    return sign_in_staff(client, UserFactory(is_staff=True, is_superuser=True))


def test_exporting_a_selection_from_the_admin_gives_those_rows_and_is_logged(admin_client):
    dialogue = build_dialogue()
    selected = [dialogue.ben.pk, dialogue.ana.pk]

    response = admin_client.post(
        CHANGELIST,
        {"action": "export_selected_csv", helpers.ACTION_CHECKBOX_NAME: selected},
    )

    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in rows] == ["Name", "Ana Example", "Ben Example"]
    log = ExportLog.objects.get()
    assert (log.kind, log.file_format, log.row_count) == ("attendees", "csv", 2)
    assert log.filters["selected"] == 2


def test_the_excel_action_is_offered_on_registrations(admin_client):
    build_dialogue()
    html = admin_client.get(CHANGELIST).content.decode()
    assert 'value="export_selected_xlsx"' in html
    assert 'value="export_selected_csv"' in html
