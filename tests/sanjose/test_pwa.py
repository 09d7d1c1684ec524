"""The installable app: manifest, the one service worker, the offline page, the viewer mark."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from sanjose.pwa import ANONYMOUS, VIEWER_HEADER, viewer_mark
from tests.factories import UserFactory
from tests.participants.staff_data import build_dialogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dialogue():
    return build_dialogue()


STATIC = Path(settings.BASE_DIR) / "static"


def worker_config(script: str) -> dict:
    first_line = script.split("\n", 1)[0]
    assert first_line.startswith("self.SANJOSE_SW = ") and first_line.endswith(";")
    return json.loads(first_line[len("self.SANJOSE_SW = ") : -1])


@pytest.mark.parametrize("path", ["/", "/agenda/", "/open-day/", "/documents/", "/me/"])
def test_every_page_links_the_manifest_and_names_the_worker(client, path):
    client.force_login(UserFactory())
    html = client.get(path, follow=True).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=en">' in html
    assert 'data-service-worker="/sw.js"' in html
    assert '<meta name="theme-color" content="#0b5563">' in html
    assert "/static/js/app.js" in html
    assert re.search(r"<script>|<script [^>]*>[^<]", html) is None  # no inline script


def test_the_manifest_makes_an_installable_app_starting_at_me(client):
    response = client.get("/manifest.webmanifest?lang=es")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Diálogo de San José"
    assert manifest["lang"] == "es"
    assert manifest["start_url"] == "/me/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5563"
    assert manifest["short_name"] and len(manifest["short_name"]) <= 12


def test_the_manifest_icons_are_real_pngs_of_the_sizes_they_claim(client):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert image.format == "PNG"
        assert "x".join(map(str, image.size)) == icon["sizes"]


def test_the_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    config = worker_config(response.content.decode())
    assert set(config["personal"]) == {"/me/", "/me/schedule/", "/me/badge/"}
    assert set(config["warm"]) == {"/me/", "/me/schedule/", "/me/badge/", "/agenda/"}
    assert config["logout"] == "/accounts/logout/"
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])


def test_every_file_the_worker_precaches_exists(client):
    config = worker_config(client.get("/sw.js").content.decode())
    for url in [*config["shell"], config["offline"]]:
        assert client.get(url).status_code == 200, url


def test_the_worker_version_follows_its_files(client, tmp_path, settings):
    before = worker_config(client.get("/sw.js").content.decode())["version"]
    changed = tmp_path / "css"
    changed.mkdir()
    (changed / "site.css").write_text("body { color: red; }")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    from django.contrib.staticfiles import finders

    finders.get_finder.cache_clear()
    try:
        after = worker_config(client.get("/sw.js").content.decode())["version"]
    finally:
        finders.get_finder.cache_clear()
    assert after != before


def test_there_is_one_worker_the_badge_one_is_gone(client):
    assert client.get("/me/badge/sw.js").status_code == 404
    assert not (STATIC / "js" / "badge-sw.js").exists()
    workers = [p for p in STATIC.rglob("*.js") if "serviceWorker.register" in p.read_text()]
    assert [p.relative_to(STATIC).as_posix() for p in workers] == ["js/app.js"]


def test_pages_name_their_viewer_by_an_opaque_mark(client):
    assert client.get("/")[VIEWER_HEADER] == ANONYMOUS
    user = UserFactory(email="mark-test@example.org")
    client.force_login(user)
    response = client.get("/")
    mark = response[VIEWER_HEADER]
    assert mark == viewer_mark(user) != ANONYMOUS
    assert mark != str(user.pk) and "mark-test" not in mark
    assert f'data-viewer="{mark}"' in response.content.decode()
    assert viewer_mark(UserFactory()) != mark


def test_files_and_feeds_carry_no_viewer_mark(client):
    assert VIEWER_HEADER not in client.get("/agenda.ics")
    assert VIEWER_HEADER not in client.get("/sw.js")


def test_the_offline_page_is_the_same_for_everyone(client):
    client.force_login(UserFactory())
    html = client.get("/offline/").content.decode()
    assert "You are offline" in html
    assert "Sign out" not in html and "My schedule</a>" not in html
    assert f'data-viewer="{ANONYMOUS}"' in html


def test_the_offline_note_is_in_every_page_hidden_until_the_worker_serves_a_copy(client):
    html = client.get("/agenda/").content.decode()
    note = re.search(r'<p class="offline-note[^>]*>([^<]*)</p>', html)
    assert note is not None and " hidden" in note.group(0)
    assert re.fullmatch(r"Offline — last updated at \d\d:\d\d", note.group(1))


def test_every_page_has_a_meta_description(client):
    for path in ["/", "/agenda/", "/open-day/", "/documents/", "/accounts/login/"]:
        html = client.get(path).content.decode()
        match = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert match and len(match.group(1)) > 50, path


def test_the_worker_is_served_with_the_hashed_static_files_of_production(client, settings):
    """WhiteNoise's manifest storage names files by hash and knows no entry for '';
    the worker's configuration must only ask it for real files."""
    from unittest import mock

    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

    def stored_name(name: str) -> str:
        if not name:  # what the manifest storage does for a name it has no entry for
            raise ValueError("Missing staticfiles manifest entry for ''")
        return f"{name}.abc123"

    hashed = ManifestStaticFilesStorage()
    with (
        mock.patch.object(hashed, "stored_name", stored_name),
        mock.patch("django.contrib.staticfiles.storage.staticfiles_storage", hashed),
    ):
        response = client.get("/sw.js")
    assert response.status_code == 200
    config = worker_config(response.content.decode())
    assert "/static/css/site.css.abc123" in config["shell"]
    assert config["staticPrefix"] == "/static/"


def test_the_workers_offline_copies_leave_a_flash_message_for_the_page_opened_next(client):
    """The worker fetches /me/, /me/schedule/… in the background after sign-in; such a
    copy must not spend the "saved" message the person is about to see."""
    from participants.models import Participant

    participant = Participant.objects.filter(user__isnull=False).first()
    client.force_login(participant.user)
    saved = client.post(
        "/me/notifications/",
        {"wants_session_reminders": "on", "reminder_minutes_before": "30"},
    )
    assert saved.status_code == 302

    copy = client.get("/me/", HTTP_X_OFFLINE_COPY="1")
    page = client.get("/me/notifications/")

    assert copy.status_code == 200
    assert "Your email preferences are saved." not in copy.content.decode()
    assert "Your email preferences are saved." in page.content.decode()


def test_the_worker_marks_its_background_fetches_as_offline_copies():
    script = (STATIC / "js" / "sw.js").read_text()
    warm = script[script.index("function warm()") :]
    assert '"X-Offline-Copy": "1"' in warm[: warm.index("\n}\n")]


def test_the_workers_offline_copies_add_no_flash_message_either(client):
    """A copy of a page that redirects ("Please fill in your profile first", for a staff
    account with no profile) must not leave that message for the real page opened next:
    a background copy neither spends nor adds messages."""
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    for path in ("/me/", "/me/schedule/", "/me/notifications/"):
        client.get(path, HTTP_X_OFFLINE_COPY="1", follow=True)
    page = client.get("/")

    assert page.status_code == 200
    assert "Please fill in your profile first." not in page.content.decode()
