import re

import pytest

from participants.roles import VIEWER
from tests.factories import CheckInFactory, RegistrationFactory, StaffUserFactory
from tests.participants.staff_data import FIRST_DAY, OPEN_DAY, build_dialogue
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue():
    return build_dialogue()


@pytest.fixture
def staff(client):
    return sign_in_staff(client, StaffUserFactory(roles=[VIEWER]))


def bars(html: str, chart: str) -> dict[str, int]:
    section = html.split(f'id="chart-{chart}"', 1)[1].split("</section>", 1)[0]
    pairs = re.findall(
        r'chart-label" title="[^"]*">([^<]+)</th>.*?class="chart-count">(\d+)<', section, flags=re.S
    )
    return {label: int(count) for label, count in pairs}


def test_the_dashboard_counts_registrations_and_check_ins(staff, dialogue):
    CheckInFactory(registration=dialogue.ana, day=FIRST_DAY)
    CheckInFactory(registration=dialogue.ana, day=OPEN_DAY)
    CheckInFactory(registration=dialogue.cai, day=OPEN_DAY)

    html = staff.get("/staff/").content.decode()

    assert bars(html, "status") == {"Approved": 2, "Submitted": 1, "Declined": 1}
    assert bars(html, "type") == {"Full Dialogue": 3, "Open Day": 1}
    assert bars(html, "country") == {
        "Costa Rica": 2,
        "Brazil": 1,
        "United States of America": 1,
    }
    assert bars(html, "subregion") == {
        "Central America and Mexico": 2,
        "North America": 1,
        "South America": 1,
    }
    assert bars(html, "sector") == {
        "Academia": 1,
        "Civil society": 1,
        "Government": 1,
        "Private sector": 1,
    }
    assert bars(html, "check_ins") == {
        "Mon 3 Jun": 1,
        "Tue 4 Jun": 2,
        "Wed 5 Jun": 0,
        "Thu 6 Jun": 0,
        "Fri 7 Jun": 0,
    }


def test_the_dashboard_shows_the_approved_headcount_per_day(staff, dialogue):
    html = staff.get("/staff/").content.decode()
    assert bars(html, "expected") == {
        "Mon 3 Jun": 1,
        "Tue 4 Jun": 2,  # the open-day guest too
        "Wed 5 Jun": 1,
        "Thu 6 Jun": 1,
        "Fri 7 Jun": 1,
    }


def test_the_largest_bar_is_full_width(staff, dialogue):
    html = staff.get("/staff/").content.decode()
    section = html.split('id="chart-status"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<rect class="chart-bar" width="(\d+)"', section) == ["100", "50", "50"]


def test_another_event_can_be_chosen(staff, dialogue):
    html = staff.get("/staff/", {"event": dialogue.other_event.pk}).content.decode()
    assert bars(html, "status") == {"Approved": 1}


def test_dashboard_queries_do_not_grow(staff, dialogue, django_assert_max_num_queries):
    counts = []
    for extra in (0, 20):
        for n in range(extra):
            registration = RegistrationFactory(
                event=dialogue.event,
                type=dialogue.full,
                status="approved",
                participant__country=["MX", "PE", "JM", "CA"][n % 4],
            )
            CheckInFactory(registration=registration, day=FIRST_DAY)
        with django_assert_max_num_queries(17) as captured:
            staff.get("/staff/")
        counts.append(len(captured))
    assert counts[0] == counts[1]
