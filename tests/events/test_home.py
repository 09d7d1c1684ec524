import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    call_command("load_demo", "--admin-password", "demo-password-123", stdout=None)


def test_home_shows_the_current_event_and_its_dates(client, demo):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "San José Dialogue" in html
    assert "3–7 June 2024" in html
    assert "San José, Costa Rica" in html
    assert "Open to the public" in html


def test_home_speaks_spanish_when_asked(client, demo):
    client.get("/lang/es/?next=/")

    html = client.get("/").content.decode()

    assert "3–7 junio 2024" in html or "3–7 de junio de 2024" in html
    assert "Acción colectiva" in html
    assert 'lang="es"' in html


def test_home_without_a_current_event_says_so(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "No event is open at the moment" in response.content.decode()


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, demo):
    response = client.get("/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()
