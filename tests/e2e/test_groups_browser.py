import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from participants.models import Membership, WorldCafeSeat, WorldCafeTable
from tests.signin import sign_in_staff


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)


def sign_in(page, live_server, user):
    client = Client()
    if user.is_staff:
        sign_in_staff(client, user)
    else:
        client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def section_text(page) -> str:
    return " ".join(page.locator("#me-groups").locator("..").inner_text().split())


def test_my_groups_and_tables_on_a_phone(live_server, demo, phone_page, screenshot):
    closed = Membership.objects.filter(group__kind="closed").select_related("participant__user")
    guest = next(m.participant for m in closed if not m.participant.hosted_tables.exists())
    seats = WorldCafeSeat.objects.filter(participant=guest).select_related("table")
    sign_in(phone_page, live_server, guest.user)

    phone_page.goto(live_server.url + "/me/")

    text = section_text(phone_page)
    groups = [m.group for m in Membership.objects.filter(participant=guest)]
    assert all(g.name in text for g in groups)
    for seat in seats:
        assert (
            f"Round {seat.round_number}: table {seat.table.number}, topic {seat.table.topic_en}"
            in text
        )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone_page.console_errors == []
    screenshot(phone_page, "me-groups-phone")


def test_a_host_sees_who_comes_each_round_on_a_phone(live_server, demo, phone_page, screenshot):
    table = WorldCafeTable.objects.select_related("host__user").get(number=1)
    sign_in(phone_page, live_server, table.host.user)

    phone_page.goto(live_server.url + "/me/")
    phone_page.locator("details summary").first.click()

    text = section_text(phone_page)
    guests = table.seats.filter(round_number=1).exclude(participant=table.host).count()
    assert f"you host table 1, topic {table.topic_en}" in text
    assert f"Round 1: {guests} people" in text and guests > 5
    screenshot(phone_page, "me-groups-host-phone")


def test_staff_review_the_assignment_on_a_desktop(live_server, demo, desktop_page, screenshot):
    from django.contrib.auth import get_user_model

    from events.models import Event

    admin = get_user_model().objects.get(username="admin")
    event = Event.objects.current()
    sign_in(desktop_page, live_server, admin)

    desktop_page.goto(f"{live_server.url}/admin/participants/group/assignment/{event.pk}/")
    desktop_page.get_by_role("button", name="Propose assignment").click()
    desktop_page.wait_for_load_state()
    # The proposal is a long job: its page (here finished at once, no broker) says how it went.
    outcome = desktop_page.locator("#job-outcome").inner_text()
    screenshot(desktop_page, "groups-proposal-job-desktop")
    desktop_page.get_by_role("link", name="Back to the working groups").click()
    desktop_page.wait_for_load_state()

    assert "locked people kept" in outcome
    assert desktop_page.locator(".module h2").count() == 6
    screenshot(desktop_page, "groups-assignment-desktop")
