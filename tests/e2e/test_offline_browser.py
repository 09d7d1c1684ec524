"""The participant app offline: one online visit, then no network; signing out forgets it.

Headless Chromium at 390×844 on the `load_demo` data; the site's one service worker is
/sw.js (sanjose.pwa, static/js/sw.js).
"""

import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from documents.models import Document
from events.models import Session
from participants.models import Participant
from sanjose.access import ANONYMOUS, viewer_for

PERSONAL = ["/me/badge/", "/me/", "/me/schedule/", "/agenda/"]
KEPT_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    // The shell (css, js, icons, the offline page) and whom the kept pages are for.
    if (name.startsWith("sanjose-shell-") || name === "sanjose-meta") continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls.sort();
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)


def sign_in(page, live_server, user) -> None:
    """Give the browser a session for `user` (demo delegates have no password)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def wait_for_kept(page, paths: list[str], present: bool = True, timeout: float = 20) -> list[str]:
    """Wait until every path is (or none is) in the worker's caches; return what is kept."""
    deadline = time.monotonic() + timeout
    while True:
        kept = page.evaluate(KEPT_URLS)
        if all((path in kept) == present for path in paths):
            return kept
        if time.monotonic() > deadline:
            raise AssertionError(f"kept after {timeout} s: {kept}")
        time.sleep(0.2)


def test_one_visit_keeps_my_pages_offline_and_signing_out_forgets_them(
    live_server, demo, phone_page, screenshot
):
    page = phone_page
    delegate = Participant.objects.get(badge_name="Bruno Delegate Example 001")
    document = (
        Document.objects.visible_to(viewer_for(delegate.user))
        .filter(access="participants", files__isnull=False)
        .first()
    )
    restricted = (
        Session.objects.visible_to(viewer_for(delegate.user))
        .exclude(pk__in=Session.objects.visible_to(ANONYMOUS))
        .exclude(audience="closed")
        .first()
    )
    sign_in(page, live_server, delegate.user)

    # The badge is the very first page this browser opens: no worker controls it yet.
    first = page.goto(live_server.url + "/me/badge/")
    assert "no-store" in first.headers["cache-control"]  # the Cache API keeps it all the same
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_for_kept(page, PERSONAL)
    for path in PERSONAL[1:]:
        page.goto(live_server.url + path)
    page.goto(live_server.url + document.get_absolute_url())
    keep = page.get_by_role("button", name="Keep offline")
    keep.click()
    page.wait_for_selector("button.keep-offline[aria-pressed=true]")
    assert "Kept on this device" in page.locator("#keep-offline-status").inner_text()

    page.context.set_offline(True)
    expected = {
        "/me/badge/": "Bruno Delegate Example 001",
        "/me/": "Bruno Delegate Example 001",
        "/me/schedule/": "My schedule",
        "/agenda/": restricted.title_en,
        document.get_absolute_url(): document.title_en,
    }
    for path, text in expected.items():
        page.goto(live_server.url + path)
        assert text in page.locator("main").inner_text(), path
        note = page.locator("[data-offline-note]")
        assert note.is_visible(), path
        assert note.inner_text().startswith("Offline — last updated at "), path
    screenshot(page, "offline-document-phone")
    page.goto(live_server.url + "/me/badge/")
    assert page.locator(".badge-qr svg").is_visible()
    screenshot(page, "offline-badge-phone")

    # The network returns: the page reloads itself from the network, the note goes.
    page.context.set_offline(False)
    page.wait_for_selector("html:not([data-offline])", state="attached")
    assert not page.locator("[data-offline-note]").is_visible()

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + "/")
    kept = wait_for_kept(page, [*PERSONAL[:3], document.get_absolute_url()], present=False)
    assert all(path in {"/", "/agenda/", "/open-day/"} for path in kept), kept

    page.context.set_offline(True)
    # The agenda seen signed in (with the participants' sessions) is gone with the rest.
    page.goto(live_server.url + "/agenda/")
    assert restricted.title_en not in page.locator("body").inner_text()
    for path in ["/me/badge/", "/me/schedule/", "/me/", document.get_absolute_url()]:
        page.goto(live_server.url + path)
        assert page.locator("h1").inner_text() == "You are offline", path
        assert "Bruno" not in page.locator("body").inner_text(), path
        assert page.locator(".badge-qr").count() == 0
    # Offline, the browser logs each request that could not go out; nothing else.
    assert [e for e in page.console_errors if "net::ERR_" not in e] == []
