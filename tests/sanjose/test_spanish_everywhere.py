"""Spanish pages say everything in Spanish: content with _en/_es fields in the reader's
language, dates as Spanish writes them, choices and admin headings translated."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.conf import settings

from participants.models import (
    Announcement,
    Group,
    Registration,
    RegistrationChange,
    RegistrationType,
)
from tests.factories import DocumentFactory, EventFactory, StaffUserFactory
from tests.participants.staff_data import build_dialogue
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue():
    dialogue = build_dialogue()
    event = dialogue.event
    event.name_es, event.venue_en, event.venue_es = (
        "Diálogo de Prueba",
        "Conference centre",
        "Centro de conferencias",
    )
    event.save()
    RegistrationType.objects.filter(pk=dialogue.full.pk).update(name_es="Diálogo completo")
    Group.objects.filter(pk=dialogue.group.pk).update(name_es="Grupo de trabajo A")
    return dialogue


@pytest.fixture
def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


@pytest.fixture
def staff_es(spanish):
    return sign_in_staff(spanish, StaffUserFactory(is_superuser=True))


def test_the_home_heading_and_title_name_the_event_in_spanish(spanish, dialogue):
    html = spanish.get("/").content.decode()

    assert "<title>Diálogo de Prueba" in html
    assert "Diálogo de Prueba</h1>" in html
    assert "Centro de conferencias" in html
    assert "San José Test" not in html and "Conference centre" not in html


def test_the_badge_names_event_and_type_in_spanish(spanish, dialogue):
    spanish.force_login(dialogue.ana.participant.user)

    html = spanish.get("/me/badge/").content.decode()

    assert "Diálogo de Prueba" in html and "Diálogo completo" in html
    assert "Full Dialogue" not in html and "San José Test" not in html


def test_the_export_form_writes_days_the_spanish_way(staff_es, dialogue):
    html = staff_es.get("/staff/exports/").content.decode()

    assert "lunes 3 de junio de 2024" in html
    assert "Mon 03 Jun 2024" not in html


def test_csv_cells_hold_the_spanish_type_and_group_names(staff_es, dialogue):
    response = staff_es.get(
        "/staff/exports/attendees.csv",
        {"event": dialogue.event.pk, "status": "approved", "columns": ["name", "type", "groups"]},
    )

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1] == ["Ana Example", "Diálogo completo", "Grupo de trabajo A"]
    # An empty translation falls back to English rather than a blank cell.
    assert rows[2][1] == "Open Day"


def test_reminder_choices_are_in_spanish(spanish, dialogue):
    spanish.force_login(dialogue.ana.participant.user)

    html = spanish.get("/me/notifications/").content.decode()

    assert "15 minutos" in html and "15 minutes" not in html


def test_the_admin_headings_and_filters_are_in_spanish(staff_es, dialogue):
    html = staff_es.get("/admin/participants/registration/").content.decode()

    assert "Por evento" in html and not re.search(r"Por event\b", html)
    assert ">Participante<" in html or ">participante<" in html
    assert ">participant<" not in html


def test_the_admin_counts_with_the_right_plural(staff_es, dialogue):
    response = staff_es.post(
        "/admin/participants/registration/",
        {
            "action": "approve",
            "_selected_action": [dialogue.ben.pk],
            "apply": "1",
            "reason": "",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "1 inscripción procesada" in html
    assert "1 inscripciones" not in html


def test_a_spanish_document_page_puts_the_spanish_file_first_with_hreflang(spanish):
    from tests.factories import DocumentFactory, DocumentFileFactory

    document = DocumentFactory(access="public", is_published=True)
    DocumentFileFactory(document=document, language="en")
    DocumentFileFactory(document=document, language="es")

    for path in (f"/documents/{document.pk}/", "/documents/"):
        html = spanish.get(path).content.decode()
        spanish_link = html.index(f'href="/documents/{document.pk}/download/es/"')
        english_link = html.index(f'href="/documents/{document.pk}/download/en/"')
        assert spanish_link < english_link, path
        assert 'hreflang="es"' in html and 'hreflang="en"' in html
        # The words "Inglés"/"Español" are Spanish text: no lang="en" on them.
        assert not re.search(r'\slang="en">(?!English)', html), path


def test_the_category_filter_is_in_spanish(spanish):
    from tests.factories import CategoryFactory

    category = CategoryFactory(slug="test-notes", name_en="Test notes", name_es="Notas de prueba")

    html = spanish.get("/documents/").content.decode()

    assert f'<option value="{category.slug}">Notas de prueba</option>' in html
    assert "Test notes" not in html


def test_allauth_form_errors_are_in_spanish(spanish):
    response = spanish.post(
        "/accounts/signup/",
        {"email": "ana@example.org", "password1": "uno-dos-tres-cuatro", "password2": "otra"},
    )

    html = response.content.decode()
    assert "Debe escribir la misma contraseña cada vez." in html
    assert "You must type the same password" not in html
    response = spanish.post("/accounts/login/", {"login": "nadie@example.org", "password": "x"})
    assert "no son correctas" in " ".join(response.content.decode().split())


MONDAY_9_LOCAL = datetime(2024, 6, 3, 15, 0, tzinfo=UTC)  # 09:00 in Costa Rica


def test_me_writes_announcement_and_history_dates_the_spanish_way(spanish, dialogue):
    Announcement.objects.create(
        event=dialogue.event,
        title_en="Room change",
        body_en="The plenary moves.",
        audience=Announcement.Audience.EVERYONE,
        published_at=MONDAY_9_LOCAL,
    )
    RegistrationChange.objects.create(
        registration=dialogue.ana,
        from_status=Registration.Status.SUBMITTED,
        to_status=Registration.Status.APPROVED,
        at=MONDAY_9_LOCAL,
    )
    spanish.force_login(dialogue.ana.participant.user)

    html = spanish.get("/me/").content.decode()

    assert "lunes 3 de junio, 09:00" in html  # the announcement, in event time
    assert "3 de junio de 2024, 09:00 · Aprobada" in html  # the registration history
    assert "Mon" not in html and "Jun 2024" not in html


def test_the_library_writes_publication_dates_the_spanish_way(spanish):
    DocumentFactory(event=EventFactory(is_current=True), published_at=MONDAY_9_LOCAL)

    html = spanish.get("/documents/").content.decode()

    assert ">3 de junio de 2024</time>" in html
