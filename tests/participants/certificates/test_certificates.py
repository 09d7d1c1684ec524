"""Certificates of attendance: real PDFs read back, /me/, and the public verification page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.certificates import services
from participants.models import Certificate, CertificateKind, CertificateTemplate, Registration
from tests.factories import (
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
)
from tests.participants.certificate_data import (
    MONDAY,
    NAME,
    ORGANISATION,
    TUESDAY,
    WEDNESDAY,
    build_attendee,
    build_event,
    checked_in,
    flat,
    pdf_text,
)

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def event():
    return build_event()


@pytest.fixture
def attendee(event):
    return build_attendee(event)


def download(client, registration, language="en"):
    client.force_login(registration.participant.user)
    return client.get(f"/me/certificates/{registration.pk}/{language}/")


def test_the_certificate_is_a_pdf_with_name_organisation_days_and_code(client, attendee):
    response = download(client, attendee)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="certificate-san-jose-2024-en.pdf"'
    )
    text = flat(pdf_text(response.content))
    code = services.verification_code(Certificate.objects.get(registration=attendee))
    assert "Certificate of attendance" in text
    assert NAME in text and ORGANISATION in text
    assert "Monday 3 June 2024 and Wednesday 5 June 2024 (2 days)" in text
    assert "Tuesday" not in text  # not checked in that day
    assert code in text
    assert f"/verify/{code}/" in text


def test_the_spanish_certificate_is_in_spanish(client, attendee):
    text = flat(pdf_text(download(client, attendee, "es").content))

    assert "Certificado de asistencia" in text
    assert "lunes 3 de junio de 2024 y miércoles 5 de junio de 2024 (2 días)" in text
    assert NAME in text and "Código de verificación" in text


def test_downloading_again_keeps_one_certificate_and_its_code(client, attendee):
    first = flat(pdf_text(download(client, attendee).content))
    second = flat(pdf_text(download(client, attendee, "es").content))

    certificate = Certificate.objects.get()
    code = services.verification_code(certificate)
    assert code in first and code in second
    assert certificate.kind == CertificateKind.ATTENDANCE


def test_no_certificate_without_a_check_in_and_none_of_someone_else(client, event, attendee):
    absent = RegistrationFactory(event=event, status=S.APPROVED)
    stranger = ParticipantFactory()

    not_attended = download(client, absent)
    client.force_login(stranger.user)
    not_mine = client.get(f"/me/certificates/{attendee.pk}/en/")
    bad_language = download(client, attendee, "fr")

    assert not_attended.status_code == 404
    assert not_mine.status_code == 404
    assert bad_language.status_code == 404
    assert not Certificate.objects.exclude(registration=attendee).exists()


def test_me_offers_the_certificate_of_each_event_attended_in_both_languages(client, attendee):
    earlier = EventFactory(name="Bangkok Dialogue", start_date=date(2024, 2, 5))
    before = RegistrationFactory(participant=attendee.participant, event=earlier, status=S.APPROVED)
    checked_in(before, date(2024, 2, 5))
    client.force_login(attendee.participant.user)

    page = client.get("/me/").content.decode()

    assert f'href="/me/certificates/{attendee.pk}/en/"' in page
    assert f'href="/me/certificates/{attendee.pk}/es/"' in page
    assert f'href="/me/certificates/{before.pk}/es/"' in page
    assert "San José Dialogue 2024: 2 days checked in." in page
    assert "Bangkok Dialogue: 1 day checked in." in page
    spanish = client.get("/me/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Certificados y cartas" in spanish and "PDF en español" in spanish


def test_me_offers_no_certificate_before_a_check_in(client, event):
    registration = RegistrationFactory(event=event, status=S.APPROVED)
    client.force_login(registration.participant.user)

    page = client.get("/me/").content.decode()

    assert "/me/certificates/" not in page


def test_the_admins_template_words_the_certificate(client, attendee):
    CertificateTemplate.objects.create(
        event=attendee.event,
        kind=CertificateKind.ATTENDANCE,
        title_en="Attestation for {name}",
        body_en="{organisation} sent {name} to {event} for {number_of_days}.",
        title_es="",
        body_es="",
        signature_en="Director, Example",
    )

    english = flat(pdf_text(download(client, attendee).content))
    spanish = flat(pdf_text(download(client, attendee, "es").content))

    assert f"Attestation for {NAME}" in english
    assert f"{ORGANISATION} sent {NAME} to San José Dialogue 2024 for 2 days." in english
    assert "Director, Example" in english
    assert f"Attestation for {NAME}" in spanish  # no Spanish text yet: the English one


def test_a_withdrawn_certificate_is_neither_offered_nor_downloadable(client, attendee):
    certificate = services.issue_certificate(registration=attendee)
    services.revoke_certificate(certificate=certificate)
    client.force_login(attendee.participant.user)

    page = client.get("/me/").content.decode()

    assert download(client, attendee).status_code == 404
    assert "This certificate was withdrawn. Please contact ECPAT staff." in page
    assert f"/me/certificates/{attendee.pk}/en/" not in page


# --- Verification ----------------------------------------------------------------------------


def code_of(registration) -> str:
    return services.verification_code(services.issue_certificate(registration=registration))


def test_a_genuine_code_says_valid_for_the_name_and_event_and_nothing_more(client, attendee):
    code = code_of(attendee)

    response = client.get(f"/verify/{code}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Valid for {NAME}, San José Dialogue 2024." in page
    for detail in (ORGANISATION, "June", "Monday", attendee.participant.user.email):
        assert detail not in page
    assert response["X-Robots-Tag"] == "noindex"


def test_a_code_typed_in_the_form_in_small_letters_and_spaces_is_recognised(client, attendee):
    code = code_of(attendee)
    typed = code.lower().replace("-", " ")

    page = client.get("/verify/", {"code": typed}).content.decode()

    assert f"Valid for {NAME}, San José Dialogue 2024." in page


@pytest.mark.parametrize("how", ["altered", "made up", "too short", "empty-ish"])
def test_a_forged_code_is_not_valid(client, attendee, how):
    code = code_of(attendee)
    forged = {
        "altered": code[:-1] + ("A" if code[-1] != "A" else "B"),
        "made up": "AAAA-BBBB-CCCC-DDDD",
        "too short": code[:9],
        "empty-ish": "----",
    }[how]

    page = client.get(f"/verify/{forged}/").content.decode()

    assert "Not valid: this code does not belong to a certificate or letter in force." in page
    assert NAME not in page


def test_a_serial_with_a_signature_made_with_another_key_is_not_valid(client, attendee, settings):
    certificate = services.issue_certificate(registration=attendee)
    settings.SECRET_KEY = "another-key-" + "x" * 50
    forged = services.verification_code(certificate)
    settings.SECRET_KEY = settings.SECRET_KEY.replace("another", "the-real")

    assert services.verify_code(forged) is None


def test_revoking_or_reissuing_makes_the_old_code_not_valid(client, attendee):
    certificate = services.issue_certificate(registration=attendee)
    old = services.verification_code(certificate)

    services.reissue_certificate(certificate=certificate)
    new = services.verification_code(certificate)
    after_reissue = services.verify_code(old), services.verify_code(new)
    services.revoke_certificate(certificate=certificate)

    assert old != new
    assert after_reissue[0] is None
    assert after_reissue[1] == services.Verification(name=NAME, event="San José Dialogue 2024")
    assert services.verify_code(new) is None
    assert "Not valid" in client.get(f"/verify/{new}/").content.decode()


def test_the_verification_page_speaks_spanish(client, attendee):
    code = code_of(attendee)

    valid = client.get(f"/verify/{code}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    invalid = client.get("/verify/AAAA-BBBB/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert f"Válido para {NAME}, San José Dialogue 2024." in valid
    assert "No válido" in invalid


def test_verification_is_rate_limited_per_address(client, attendee, settings):
    settings.SANJOSE_RATE_LIMITS = {**settings.SANJOSE_RATE_LIMITS, "verify": "3/m/ip"}
    code = code_of(attendee)

    answers = [client.get(f"/verify/{code}/").status_code for _ in range(3)]
    spent = client.get("/verify/", {"code": code})

    assert answers == [200, 200, 200]
    assert spent.status_code == 429 and int(spent["Retry-After"]) >= 1
    assert NAME not in spent.content.decode()


def test_the_code_in_a_verification_url_never_reaches_a_log_line():
    from sanjose.log_filters import redact

    assert redact("GET /verify/ABCD-EFGH-IJKL-MNOP/ 200") == "GET /verify/[redacted]/ 200"
    assert redact("GET /verify/?code=ABCD-EFGH") == "GET /verify/?code=[redacted]"


# --- Query counts ------------------------------------------------------------------------------


def test_me_and_the_pdf_take_as_many_queries_for_one_event_or_day_as_for_several(client, event):
    participant = ParticipantFactory()
    client.force_login(participant.user)
    registration = checked_in(
        RegistrationFactory(participant=participant, event=event, status=S.APPROVED), MONDAY
    )
    client.get("/me/")  # the session's first page settles the sign-in
    client.get(f"/me/certificates/{registration.pk}/en/")  # the first download issues it
    me, pdf = [], []
    for size in (1, 4):
        with CaptureQueriesContext(connection) as page:
            assert client.get("/me/").status_code == 200
        with CaptureQueriesContext(connection) as document:
            assert client.get(f"/me/certificates/{registration.pk}/en/").status_code == 200
        me.append(len(page))
        pdf.append(len(document))
        for n in range(size, 4):  # more events attended, more days at this one
            other = RegistrationFactory(
                participant=participant,
                event=EventFactory(start_date=date(2020 + n, 1, 1)),
                status=S.APPROVED,
            )
            checked_in(other, date(2020 + n, 1, 1), date(2020 + n, 1, 2))
        if size == 1:
            checked_in(registration, TUESDAY, WEDNESDAY)

    assert me[0] == me[1]
    assert pdf[0] == pdf[1]


def test_a_registration_type_of_guests_is_still_certified_when_checked_in(client, event):
    guests = RegistrationTypeFactory(event=event, is_public=True)
    guest = checked_in(RegistrationFactory(event=event, type=guests, status=S.APPROVED), TUESDAY)

    text = flat(pdf_text(download(client, guest).content))

    assert "Tuesday 4 June 2024 (1 day)" in text


def test_names_beyond_latin_1_render_with_the_embedded_font(client, event):
    from participants.certificates.pdf import FONT

    name, organisation = "Łukasz Šťastný Ğüneş", "Ассоциация «Дети» · Ελπίδα"
    participant = ParticipantFactory(badge_name=name, organisation=organisation)
    registration = checked_in(
        RegistrationFactory(participant=participant, event=event, status=S.APPROVED), MONDAY
    )

    response = download(client, registration)

    text = flat(pdf_text(response.content))
    assert name in text and organisation in text
    assert FONT.encode() in response.content  # the subset of DejaVu Sans, embedded
