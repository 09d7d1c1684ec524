from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from participants.desk import services as checkin
from participants.desk.services import check_in_code
from participants.models import CheckIn
from participants.roles import REGISTRATION_DESK
from tests.factories import CheckInFactory, RegistrationFactory, StaffUserFactory
from tests.participants.staff_data import FIRST_DAY, build_dialogue
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("America/Costa_Rica")
MONDAY_MORNING = datetime(2024, 6, 3, 9, 15, tzinfo=ZONE)


@pytest.fixture
def dialogue(monkeypatch):
    monkeypatch.setattr(checkin.clock, "now", lambda: MONDAY_MORNING)
    return build_dialogue()


@pytest.fixture
def desk(client):
    return sign_in_staff(client, StaffUserFactory(roles=[REGISTRATION_DESK]))


def outcome(response) -> str:
    html = response.content.decode()
    start = html.index('data-outcome="') + len('data-outcome="')
    return html[start : html.index('"', start)]


def test_the_desk_offers_camera_code_and_name_search(desk, dialogue):
    html = desk.get("/staff/checkin/").content.decode()
    assert 'name="code"' in html
    assert 'name="q"' in html
    assert "data-camera-video" in html
    assert "/static/js/checkin.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids them


def test_scanning_a_badge_checks_in_and_says_so(desk, dialogue):
    response = desk.post("/staff/checkin/", {"code": check_in_code(dialogue.ana)})

    assert outcome(response) == "checked_in"
    html = response.content.decode()
    assert "Checked in" in html
    assert "Ana Example" in html and "Costa Rica" in html
    assert CheckIn.objects.get().registration == dialogue.ana


def test_a_second_scan_says_when_in_event_time(desk, dialogue):
    CheckInFactory(registration=dialogue.ana, day=FIRST_DAY)  # at 08:42 Costa Rica time
    response = desk.post("/staff/checkin/", {"code": check_in_code(dialogue.ana)})
    assert outcome(response) == "already"
    assert "Already checked in at 08:42" in response.content.decode()


def test_refusals_say_not_approved_or_unknown_code(desk, dialogue):
    declined = desk.post("/staff/checkin/", {"code": check_in_code(dialogue.dee)})
    forged = desk.post("/staff/checkin/", {"code": check_in_code(dialogue.ana) + "x"})

    assert outcome(declined) == "not_approved"
    assert "Not approved" in declined.content.decode()
    assert outcome(forged) == "unknown"
    assert "Unknown code" in forged.content.decode()
    assert CheckIn.objects.count() == 0


def test_an_empty_code_gets_a_message_next_to_the_field(desk, dialogue):
    response = desk.post("/staff/checkin/", {"code": ""})
    assert "This field is required." in response.content.decode()
    assert "data-outcome" not in response.content.decode()


def test_searching_a_name_then_checking_in_from_the_list(desk, dialogue):
    results = desk.get("/staff/checkin/", {"q": "cai ex"}).content.decode()
    assert "Cai Example" in results and "Ana Example" not in results

    response = desk.post("/staff/checkin/", {"registration": dialogue.ana.pk})
    assert outcome(response) == "checked_in"
    again = desk.get("/staff/checkin/", {"q": "Ana"}).content.decode()
    assert "Checked in today at 08:42" not in again  # checked in at 09:15
    assert "Checked in today at 09:15" in again


def test_search_only_lists_the_current_event(desk, dialogue):
    html = desk.get("/staff/checkin/", {"q": "Example"}).content.decode()
    assert "Eve Example" not in html  # another event
    assert html.count('name="registration"') == 4


def test_a_participant_cannot_check_anyone_in(client, dialogue):
    client.force_login(dialogue.ana.participant.user)
    response = client.post("/staff/checkin/", {"code": check_in_code(dialogue.ana)})
    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_search_queries_do_not_grow(desk, dialogue, django_assert_max_num_queries):
    counts = []
    for extra in (0, 15):
        for _ in range(extra):
            registration = RegistrationFactory(
                event=dialogue.event, type=dialogue.full, status="approved"
            )
            CheckInFactory(registration=registration, day=FIRST_DAY)
        with django_assert_max_num_queries(10) as captured:
            desk.get("/staff/checkin/", {"q": "Example"})
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("value", ["abc", "999999", ""])
def test_a_bad_pick_from_the_list_is_not_found(desk, dialogue, value):
    response = desk.post("/staff/checkin/", {"registration": value})
    assert response.status_code == 404
    assert CheckIn.objects.count() == 0
