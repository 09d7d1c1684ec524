import pytest
from django.core.management import call_command


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)


def test_home_on_a_phone_shows_the_event_and_a_working_menu(
    live_server, demo, phone_page, screenshot
):
    page = phone_page
    page.goto(live_server.url + "/")

    assert page.locator("h1").inner_text() == "San José Dialogue"
    assert "3–7 June 2024" in page.locator(".hero").inner_text()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Agenda", exact=True).wait_for(state="visible")
    assert page.console_errors == []
    assert screenshot(page, "home-phone").stat().st_size > 10_000


def test_language_switch_turns_the_page_spanish(live_server, demo, desktop_page, screenshot):
    page = desktop_page
    page.goto(live_server.url + "/")

    page.get_by_role("link", name="Español").click()

    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Acción colectiva" in page.locator(".hero").inner_text()
    screenshot(page, "home-desktop-es")
