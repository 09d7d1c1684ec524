"""Certificate and letter templates, and issued certificates, in the admin."""

import pytest

from participants.certificates import services
from participants.models import Certificate, CertificateKind, CertificateTemplate
from participants.roles import CONTENT_EDITOR, ORGANISER, REGISTRATION_DESK, VIEWER
from tests.participants.certificate_data import (
    MONDAY,
    NAME,
    build_attendee,
    build_event,
    flat,
    pdf_text,
    staff_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return build_event()


@pytest.fixture
def attendee(event):
    return build_attendee(event)


@pytest.fixture
def editor():
    return staff_client(CONTENT_EDITOR)[0]


@pytest.fixture
def organiser():
    return staff_client(ORGANISER)[0]


ADD = "/admin/participants/certificatetemplate/add/"


def form_data(event, **texts):
    return {
        "event": event.pk,
        "kind": CertificateKind.ATTENDANCE,
        "title_en": "Certificate of attendance",
        "title_es": "Certificado de asistencia",
        "body_en": "{name} attended {event}.",
        "body_es": "{name} asistió a {event}.",
        "signature_en": "",
        "signature_es": "",
        **texts,
    }


def test_a_template_with_known_placeholders_is_saved(editor, event):
    response = editor.post(ADD, form_data(event))

    assert response.status_code == 302
    assert CertificateTemplate.objects.get().body_es == "{name} asistió a {event}."


def test_an_unknown_placeholder_is_refused_naming_it_and_listing_the_known_ones(editor, event):
    response = editor.post(ADD, form_data(event, body_es="{nombre} asistió a {event}."))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Unknown placeholder {nombre}. The placeholders are: {name}, {organisation}" in page
    assert not CertificateTemplate.objects.exists()


def test_a_letter_placeholder_is_unknown_to_a_certificate(editor, event):
    response = editor.post(ADD, form_data(event, title_en="For {passport_name}"))

    assert "Unknown placeholder {passport_name}." in response.content.decode()


def test_a_stray_brace_is_refused(editor, event):
    response = editor.post(ADD, form_data(event, body_en="{name attended {event}."))

    assert "A brace must open and close a placeholder, as in {name}." in response.content.decode()
    assert not CertificateTemplate.objects.exists()


def test_the_message_is_in_spanish_for_a_spanish_editor(editor, event):
    response = editor.post(ADD, form_data(event, body_en="{nombre}"), HTTP_ACCEPT_LANGUAGE="es")

    assert "Marcador desconocido {nombre}." in response.content.decode()


def test_a_new_template_starts_from_the_built_in_text(editor):
    page = editor.get(ADD + "?kind=invitation_letter").content.decode()

    assert "To whom it may concern," in page and "A quien corresponda:" in page
    assert "{nationality}" in page


def test_the_preview_is_a_pdf_with_invented_details(editor, event):
    template = CertificateTemplate.objects.create(
        event=event,
        kind=CertificateKind.ATTENDANCE,
        title_en="Attendance",
        body_en="{name} of {organisation} came on {days_attended}.",
    )

    changelist = editor.get("/admin/participants/certificatetemplate/").content.decode()
    response = editor.get(f"/admin/participants/certificatetemplate/{template.pk}/preview/es/")

    assert f"/admin/participants/certificatetemplate/{template.pk}/preview/en/" in changelist
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    assert "Ana Muñoz Solís of Red de Protección de la Niñez came on 3 de junio de 2024." in text


def test_staff_revoke_and_reissue_issued_certificates(organiser, attendee):
    certificate = services.issue_certificate(registration=attendee)
    old = services.verification_code(certificate)
    url = "/admin/participants/certificate/"

    organiser.post(url, {"action": "reissue", "_selected_action": [certificate.pk]})
    certificate.refresh_from_db()
    new = services.verification_code(certificate)
    organiser.post(url, {"action": "revoke", "_selected_action": [certificate.pk]})

    assert services.verify_code(old) is None
    assert old != new
    assert Certificate.objects.get().revoked_at is not None
    assert services.verify_code(new) is None


def test_staff_download_an_issued_certificate_from_the_admin(organiser, attendee):
    certificate = services.issue_certificate(registration=attendee)

    response = organiser.get(f"/admin/participants/certificate/{certificate.pk}/pdf/en/")

    assert response.status_code == 200
    assert NAME in flat(pdf_text(response.content))
    assert MONDAY.strftime("%B") in flat(pdf_text(response.content))


@pytest.mark.parametrize(
    ("role", "templates", "issued", "requests"),
    [
        (ORGANISER, 200, 200, 200),
        (CONTENT_EDITOR, 200, 403, 403),
        (VIEWER, 200, 403, 403),
        (REGISTRATION_DESK, 403, 403, 403),
    ],
)
def test_who_may_see_templates_issued_certificates_and_letter_requests(
    attendee, role, templates, issued, requests
):
    browser, _user = staff_client(role)
    certificate = services.issue_certificate(registration=attendee)
    base = "/admin/participants/"

    answers = (
        browser.get(base + "certificatetemplate/").status_code,
        browser.get(base + "certificate/").status_code,
        browser.get(base + "letterrequest/").status_code,
    )
    download = browser.get(f"{base}certificate/{certificate.pk}/pdf/en/")

    assert answers == (templates, issued, requests)
    assert download.status_code == issued
    assert NAME.encode() not in download.content or role == ORGANISER


def test_the_viewer_reads_templates_but_may_not_change_them(event):
    browser, _user = staff_client(VIEWER)

    response = browser.post(ADD, form_data(event))

    assert response.status_code == 403
    assert not CertificateTemplate.objects.exists()
