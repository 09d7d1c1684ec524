"""Error pages in the site's layout and the reader's language; a link that needs an
account offers to sign in, without telling whether the page exists."""

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from events.models import Session
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_session():
    event = EventFactory(is_current=True)
    return SessionFactory(event=event, audience=Session.Audience.PARTICIPANTS)


def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_a_participant_session_signed_out_offers_to_sign_in_in_spanish(client, private_session):
    path = f"/agenda/sessions/{private_session.pk}/"

    response = spanish(client).get(path)

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es">' in html and 'class="navbar' in html  # the site's layout
    assert "Página no encontrada" in html
    assert "Not Found" not in html
    assert f'href="/accounts/login/?next=%2Fagenda%2Fsessions%2F{private_session.pk}%2F"' in html
    assert private_session.title_en not in html and private_session.title_es not in html


def test_the_page_is_the_same_whether_the_session_exists_or_not(client, private_session):
    missing = private_session.pk + 1000

    def page(pk):
        html = client.get(f"/agenda/sessions/{pk}/").content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r"(%2F|/)\d+(%2F|/)", "<id>", html)

    assert page(private_session.pk) == page(missing)


def test_a_signed_in_person_gets_the_translated_page_without_the_sign_in_offer(
    client, private_session
):
    client.force_login(UserFactory())

    response = spanish(client).get(f"/agenda/sessions/{private_session.pk}/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Página no encontrada" in html
    assert "data-sign-in" not in html


def test_the_500_page_renders_without_a_request_in_the_reader_language():
    with translation.override("es"):
        html = render_to_string("500.html")

    assert "Algo falló de nuestro lado" in html
    assert '<html lang="es">' in html
