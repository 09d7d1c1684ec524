import pytest
from django.core.management import call_command


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)


def test_library_on_a_phone_shows_previews_and_searches(live_server, demo, phone_page, screenshot):
    page = phone_page
    page.goto(live_server.url + "/documents/")

    items = page.locator(".document-item")
    assert items.count() == 6  # the public documents of the demo
    assert "Concept note: the San José Dialogue" in page.locator("main").inner_text()
    thumbs = page.locator(".document-thumb img")
    assert thumbs.count() == 6
    assert all(
        thumbs.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(6)
    )
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "library-phone")

    page.get_by_label("Search").fill("salvaguardas")
    page.get_by_role("button", name="Search").click()

    page.wait_for_load_state()
    assert page.locator(".document-item").count() == 1
    assert "short-term rentals" in page.locator(".document-item").inner_text()
    assert page.console_errors == []
    screenshot(page, "library-phone-search")


def test_document_page_on_a_desktop_lists_languages(live_server, demo, desktop_page, screenshot):
    page = desktop_page
    page.goto(live_server.url + "/documents/")
    page.get_by_role("link", name="Concept note: the San José Dialogue").click()

    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Concept note: the San José Dialogue"
    assert page.locator(".card .card-title").all_inner_texts() == ["English", "Spanish"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").first.click()
    assert download.value.suggested_filename == "concept-note-the-san-jose-dialogue-en.pdf"
    screenshot(page, "document-desktop")
