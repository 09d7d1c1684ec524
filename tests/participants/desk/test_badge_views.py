import pytest
import segno

from participants.desk.services import check_in_code
from tests.participants.staff_data import build_dialogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue():
    return build_dialogue()


def test_my_badge_shows_who_i_am_and_a_qr_code_of_my_signed_code(client, dialogue):
    client.force_login(dialogue.ana.participant.user)

    response = client.get("/me/badge/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ana Example" in html and "Ana Example Org" in html and "Costa Rica" in html
    code = check_in_code(dialogue.ana)
    qr_of_the_code = segno.make(code, error="m").svg_inline(
        scale=4, border=2, dark="#111", light="#fff", omitsize=True
    )
    assert qr_of_the_code in html
    # Under the QR code, the short desk code to read out or type; not the 87-character one.
    desk_code = dialogue.ana.desk_code
    assert f"data-desk-code>{desk_code[:4]}-{desk_code[4:]}<" in html
    assert code not in html.replace(qr_of_the_code, "")
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_badge_page_is_under_the_sites_one_worker_without_inline_script(client, dialogue):
    client.force_login(dialogue.ana.participant.user)
    html = client.get("/me/badge/").content.decode()
    assert 'data-service-worker="/sw.js"' in html
    assert "/static/js/app.js" in html
    assert "badge.js" not in html
    assert "<script>" not in html


@pytest.mark.parametrize("who", ["ben", "dee"])
def test_no_badge_before_approval(client, dialogue, who):
    client.force_login(getattr(dialogue, who).participant.user)
    html = client.get("/me/badge/").content.decode()
    assert "appears here once your registration is approved" in html
    assert "segno" not in html


def test_the_badge_needs_sign_in(client):
    response = client.get("/me/badge/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/badge/"


def test_my_page_links_to_the_badge_once_approved(client, dialogue):
    def badge_section(user) -> str:
        client.force_login(user)
        html = client.get("/me/").content.decode()
        return html[html.index('<main id="main"') :]

    assert 'id="me-badge"' in badge_section(dialogue.ana.participant.user)
    # Before approval the menu still leads to the badge page, which says it is not there yet.
    assert 'id="me-badge"' not in badge_section(dialogue.ben.participant.user)
