"""Invitation letters: asked for on /me/letter/, issued by the rule or by staff, real PDFs,
verified, and the passport details deletable."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.certificates import services
from participants.models import Certificate, CertificateKind, LetterRequest, Registration
from participants.roles import ORGANISER
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
)
from tests.participants.certificate_data import flat, pdf_text, staff_client

pytestmark = pytest.mark.django_db
S = Registration.Status
PASSPORT = "MARÍA JOÃO ÑANCO DE LA PEÑA"


@pytest.fixture
def event():
    return EventFactory(
        name="San José Dialogue 2024",
        slug="san-jose-2024",
        venue="Hotel Example",
        city="San José",
        country="CR",
        is_current=True,
    )


@pytest.fixture
def organiser():
    return staff_client(ORGANISER)


@pytest.fixture
def full(event):
    return RegistrationTypeFactory(event=event, name_en="Full Dialogue", name_es="Diálogo completo")


@pytest.fixture
def open_day(event):
    return RegistrationTypeFactory(event=event, is_public=True, name_en="Open day")


def registered(event, kind, status=S.APPROVED):
    participant = ParticipantFactory(organisation="Fundación Niñez Segura")
    return RegistrationFactory(participant=participant, event=event, type=kind, status=status)


def ask(client, registration, **data):
    client.force_login(registration.participant.user)
    form = {"passport_name": PASSPORT, "nationality": "BR", **data}
    return client.post("/me/letter/", form, follow=True)


def test_an_approved_participant_gets_the_letter_at_once_as_a_real_pdf(client, event, full):
    registration = registered(event, full)

    page = ask(client, registration)
    response = client.get("/me/letter/en/")

    assert "Your invitation letter is ready to download." in page.text
    assert 'href="/me/letter/en/"' in page.text and 'href="/me/letter/es/"' in page.text
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    letter = Certificate.objects.get(kind=CertificateKind.INVITATION_LETTER)
    code = services.verification_code(letter)
    assert "Letter of invitation" in text
    assert f"invites {PASSPORT}, a national of Brazil, of Fundación Niñez Segura" in text
    assert "San José Dialogue 2024 (Full Dialogue)" in text
    assert code in text
    assert services.verify_code(code) == services.Verification(
        name=PASSPORT, event="San José Dialogue 2024"
    )


def test_the_spanish_letter_names_the_nationality_in_spanish(client, event, full):
    registration = registered(event, full)
    ask(client, registration)

    text = flat(pdf_text(client.get("/me/letter/es/").content))

    assert "Carta de invitación" in text
    assert f"invita a {PASSPORT}, de nacionalidad Brasil" in text
    assert "(Diálogo completo)" in text


def test_an_open_day_guest_waits_for_staff_who_issue_it_in_the_admin(
    client, organiser, event, open_day
):
    staff_browser, _staff = organiser
    registration = registered(event, open_day)

    page = ask(client, registration)
    before = client.get("/me/letter/en/")
    staff_browser.post(
        "/admin/participants/letterrequest/",
        {"action": "issue", "_selected_action": [registration.letter_request.pk]},
    )
    after = client.get("/me/letter/en/")

    assert "Your request is sent: ECPAT staff will prepare your letter." in page.text
    assert before.status_code == 404
    assert after.status_code == 200 and PASSPORT in flat(pdf_text(after.content))
    letter_request = LetterRequest.objects.get()
    assert letter_request.status == LetterRequest.Status.ISSUED
    assert letter_request.decided_by is not None
    email = OutboxMessage.objects.get(kind="letter_issued")
    assert email.recipient == registration.participant.user.email
    assert email.subject == "Your invitation letter for San José Dialogue 2024"
    assert "http://127.0.0.1:8000/me/letter/" in email.body_text
    assert PASSPORT not in email.body_text  # passport details stay in the letter


def test_staff_decline_with_a_reason_the_person_reads(client, organiser, event, open_day):
    staff_browser, _staff = organiser
    registration = registered(event, open_day)
    ask(client, registration)
    pk = registration.letter_request.pk

    asked = staff_browser.post(
        "/admin/participants/letterrequest/", {"action": "decline", "_selected_action": [pk]}
    )
    staff_browser.post(
        "/admin/participants/letterrequest/",
        {
            "action": "decline",
            "_selected_action": [pk],
            "apply": "1",
            "reason": "Open-day guests do not need a visa letter.",
        },
    )
    page = client.get("/me/letter/").content.decode()

    email = OutboxMessage.objects.get(kind="letter_declined")
    assert "Open-day guests do not need a visa letter." in email.body_text
    assert "Reason (shown to the person)" in asked.content.decode()
    assert "its code will no longer be valid" in asked.content.decode()
    assert f'name="_selected_action" value="{pk}"' in asked.content.decode()
    assert "ECPAT staff could not issue this letter." in page
    assert "Open-day guests do not need a visa letter." in page
    assert client.get("/me/letter/en/").status_code == 404


@pytest.mark.parametrize("status", [S.SUBMITTED, S.WAITLISTED, S.DECLINED, S.CANCELLED])
def test_only_an_approved_registration_may_ask(client, event, full, status):
    registration = registered(event, full, status=status)

    page = ask(client, registration)

    assert "Invitation letters are for participants whose registration is approved." in page.text
    assert not LetterRequest.objects.exists()


def test_no_registration_no_letter(client, event):
    participant = ParticipantFactory()
    client.force_login(participant.user)

    page = client.post("/me/letter/", {"passport_name": PASSPORT, "nationality": "BR"})

    assert "Invitation letters are for participants whose registration is approved." in page.text
    assert not LetterRequest.objects.exists()


def test_an_empty_passport_name_or_unknown_country_is_refused_with_a_message(client, event, full):
    registration = registered(event, full)

    blank = ask(client, registration, passport_name="   ")
    country = ask(client, registration, nationality="XX")

    assert "This field is required." in blank.text
    assert "Select a valid choice." in country.text
    assert not LetterRequest.objects.exists()


def test_deleting_the_request_removes_passport_details_and_the_letters_validity(
    client, event, full
):
    registration = registered(event, full)
    ask(client, registration)
    code = services.verification_code(Certificate.objects.get())

    page = client.post("/me/letter/delete/", follow=True)

    assert "Your letter request and your passport details are deleted." in page.text
    assert not LetterRequest.objects.exists()
    assert not Certificate.objects.exists()
    assert PASSPORT not in page.text
    assert services.verify_code(code) is None
    assert client.get("/me/letter/en/").status_code == 404
    again = ask(client, registration, passport_name="Maria Joao Nanco")
    assert "Your invitation letter is ready to download." in again.text


def test_a_cancelled_registration_makes_its_letter_not_valid(client, event, full):
    from participants.registration.services.registration import cancel_registration

    registration = registered(event, full)
    ask(client, registration)
    code = services.verification_code(Certificate.objects.get())

    cancel_registration(registration=registration, by=registration.participant.user)

    assert services.verify_code(code) is None
    assert client.get("/me/letter/en/").status_code == 404
    assert "Not valid" in client.get(f"/verify/{code}/").content.decode()


def test_asking_twice_keeps_one_request(client, event, full):
    registration = registered(event, full)
    ask(client, registration)

    ask(client, registration, passport_name="Someone Else")

    assert LetterRequest.objects.get().passport_name == PASSPORT
    with pytest.raises(services.CertificateError):
        services.request_letter(registration=registration, passport_name="X", nationality="BR")


def test_the_letter_page_in_spanish(client, event, full):
    registration = registered(event, full)
    client.force_login(registration.participant.user)

    page = client.get("/me/letter/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Mi carta de invitación" in page
    assert "Nombre como figura en el pasaporte" in page


def test_me_links_to_the_letter_only_for_an_approved_registration(client, event, full):
    approved, pending = registered(event, full), registered(event, full, status=S.SUBMITTED)

    client.force_login(approved.participant.user)
    shown = client.get("/me/").content.decode()
    client.force_login(pending.participant.user)
    hidden = client.get("/me/").content.decode()

    assert 'href="/me/letter/"' in shown
    assert 'href="/me/letter/"' not in hidden


def test_the_admin_lists_requests_in_as_many_queries_for_two_as_for_twelve(
    organiser, event, open_day
):
    client, staff = organiser
    counts = []
    for size in (2, 12):
        while LetterRequest.objects.count() < size:
            registration = registered(event, open_day)
            services.request_letter(
                registration=registration, passport_name="A B", nationality="CR"
            )
        for url in ("/admin/participants/letterrequest/", "/admin/participants/certificate/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append((url, len(queries)))
        services.approve_letter(letter_request=LetterRequest.objects.first(), by=staff)

    assert counts[0] == counts[2] and counts[1] == counts[3]


def test_the_decision_email_is_in_the_persons_language(event, open_day, organiser):
    _browser, staff = organiser
    registration = registered(event, open_day)
    registration.participant.preferred_language = "es"
    registration.participant.save(update_fields=["preferred_language"])
    letter_request = services.request_letter(
        registration=registration, passport_name=PASSPORT, nationality="BR"
    )

    services.approve_letter(letter_request=letter_request, by=staff)

    email = OutboxMessage.objects.get(kind="letter_issued")
    assert email.subject == "Su carta de invitación para San José Dialogue 2024"
    assert "en inglés o en español" in email.body_text


def test_a_revoked_letter_says_so_and_keeps_the_date_it_was_issued(client, event, full):
    from datetime import timedelta

    from sanjose import clock

    registration = registered(event, full)
    ask(client, registration)
    letter = Certificate.objects.get()
    Certificate.objects.filter(pk=letter.pk).update(issued_at=clock.now() - timedelta(days=40))
    issued_on = (clock.now() - timedelta(days=40)).astimezone(event.zone)

    text = flat(pdf_text(client.get("/me/letter/en/").content))
    services.revoke_certificate(certificate=letter)
    page = client.get("/me/letter/").content.decode()

    assert f"{issued_on.day} {issued_on:%B %Y}" in text
    assert "This letter was withdrawn: its code is no longer valid." in page
    assert client.get("/me/letter/en/").status_code == 404
