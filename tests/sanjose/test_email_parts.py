"""Every kind of email, parsed as a mail client would (Python's `email` parser): a real
HTML part and a text part, with the same working absolute link in both, the event's name
where allauth speaks of the site, and the recipient's language."""

import email
import email.policy
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client

from participants.announcements.services import publish_announcement
from participants.certificates import services as certificates
from participants.groups.services import grouping
from participants.models import Announcement, Registration
from participants.notifications.services import prepare
from participants.registration.services import registration as registration_services
from participants.registration.services.invitations import send_invitation
from sanjose.outbox.services import queue_prepared_emails
from tests.factories import (
    DocumentFactory,
    EventDayFactory,
    EventFactory,
    GroupFactory,
    InvitationFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SITE = "https://dialogue.example.org"
PASSWORD = "correct-horse-battery"
EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def event():
    return EventFactory(
        name_en="San José Dialogue", name_es="Diálogo de San José", slug="sj", is_current=True
    )


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        self.text.append(data)


def parsed(message) -> tuple[str, str, list[str], str]:
    """Subject, text part, the HTML part's link targets and the HTML part's visible words."""
    parsed_message = email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.default
    )
    text = parsed_message.get_body(("plain",)).get_content()
    html_part = parsed_message.get_body(("html",))
    assert html_part is not None, "no HTML part"
    links = Links()
    links.feed(html_part.get_content())
    # Django folds a long encoded subject onto the next line; a client unfolds it and
    # drops the leading blank, as strip() does here.
    return (
        str(parsed_message["Subject"]).strip(),
        text,
        links.hrefs,
        " ".join(" ".join(links.text).split()),
    )


def html_part(message) -> str:
    parsed_message = email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.default
    )
    return parsed_message.get_body(("html",)).get_content()


def assert_link_in_both(message, path_pattern: str) -> str:
    subject, text, hrefs, html_words = parsed(message)
    pattern = re.compile(re.escape(SITE) + path_pattern)
    in_text = [m[0] for m in pattern.finditer(text)]
    assert in_text, f"no {path_pattern} link in the text part:\n{text}"
    assert in_text[0] in hrefs, f"{in_text[0]} is not a link of the HTML part: {hrefs}"
    assert len(html_words) > 80, f"the HTML part is nearly empty: {html_words!r}"
    return in_text[0]


def sent_to(recipient: str):
    found = [m for m in mail.outbox if m.to == [recipient]]
    assert found, f"nothing sent to {recipient}: {[m.to for m in mail.outbox]}"
    return found[-1]


# --- allauth's messages ------------------------------------------------------------------


def signup(client, address):
    client.post(
        "/accounts/signup/", {"email": address, "password1": PASSWORD, "password2": PASSWORD}
    )


def verified(address, **fields):
    user = UserFactory(username=f"u-{address}", email=address, **fields)
    EmailAddress.objects.create(user=user, email=address, verified=True, primary=True)
    return user


def test_signup_confirmation_has_the_link_in_both_parts(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "nueva@example.org")

    message = sent_to("nueva@example.org")
    link = assert_link_in_both(message, r"/accounts/confirm-email/[^\s\"<]+/")
    subject, text, _hrefs, html_words = parsed(message)
    assert "San José Dialogue" in subject
    assert "San José Dialogue" in text and "San José Dialogue" in html_words
    assert "Hello from !" not in text and " on ." not in text
    assert "from !" not in html_words
    # No auto-generated username anywhere: the email is the login.
    username = EmailAddress.objects.get(email="nueva@example.org").user.username
    assert username not in text and username not in html_words
    # The link works: it confirms the address.
    Client().post(link.removeprefix(SITE))
    assert EmailAddress.objects.get(email="nueva@example.org").verified


def test_signup_confirmation_in_spanish_for_a_spanish_browser(
    client, event, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "lucia@example.org")

    subject, text, _hrefs, html_words = parsed(sent_to("lucia@example.org"))
    assert "Diálogo de San José" in subject
    assert "Para confirmar la dirección, abra este enlace:" in text
    assert "Para confirmar la dirección, abra este enlace:" in html_words
    assert "Hola:" in text


def test_password_reset_in_the_profile_language(client, event, django_capture_on_commit_callbacks):
    user = verified("mateo@example.org")
    ParticipantFactory(user=user, preferred_language="es")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "mateo@example.org"})

    message = sent_to("mateo@example.org")
    link = assert_link_in_both(message, r"/accounts/password/reset/key/[^\s\"<]+/")
    _subject, text, _hrefs, _words = parsed(message)
    assert "Para elegir una contraseña nueva, abra este enlace:" in text
    assert Client().get(link.removeprefix(SITE), follow=True).status_code == 200


def test_account_already_exists_has_the_reset_link_in_both_parts(
    client, event, django_capture_on_commit_callbacks
):
    verified("taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "taken@example.org")

    assert_link_in_both(sent_to("taken@example.org"), r"/accounts/password/reset/")


def test_unknown_account_has_the_signup_link_in_both_parts(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert_link_in_both(sent_to("nobody@example.org"), r"/accounts/signup/")


def test_added_address_confirmation_has_the_link_in_both_parts(
    client, event, django_capture_on_commit_callbacks
):
    user = verified("old@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})

    assert_link_in_both(sent_to("new@example.org"), r"/accounts/confirm-email/[^\s\"<]+/")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "The email address of your account was changed from old@example.org"),
        ("es", "La dirección de correo electrónico de su cuenta cambió de old@example.org"),
    ],
)
def test_email_change_tells_the_old_address_with_a_reset_link(
    client, event, language, words, django_capture_on_commit_callbacks
):
    user = verified("old@example.org")
    ParticipantFactory(user=user, preferred_language=language)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    link = assert_link_in_both(sent_to("new@example.org"), r"/accounts/confirm-email/[^\s\"<]+/")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.removeprefix(SITE))

    assert EmailAddress.objects.get(user=user, primary=True).email == "new@example.org"
    notice = sent_to("old@example.org")
    assert_link_in_both(notice, r"/accounts/password/reset/")
    _subject, text, _hrefs, html_words = parsed(notice)
    assert words in text and words in html_words
    assert f'<html lang="{language}">' in html_part(notice)


def test_password_change_notice_in_spanish_has_the_reset_link(
    client, event, django_capture_on_commit_callbacks
):
    user = verified("clave@example.org")
    user.set_password(PASSWORD)
    user.save()
    ParticipantFactory(user=user, preferred_language="es")
    client.force_login(user)
    new = "another-long-passphrase-2"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": new, "password2": new},
        )

    notice = sent_to("clave@example.org")
    assert_link_in_both(notice, r"/accounts/password/reset/")
    _subject, text, _hrefs, html_words = parsed(notice)
    assert "Se acaba de hacer este cambio en su cuenta del Diálogo de San José:" in text
    assert "Si no fue usted, elija una contraseña nueva de inmediato" in html_words


# --- Our own emails: one case per template in templates/emails/ ----------------------------


def registration_setup(event, language, **type_fields):
    kind = RegistrationTypeFactory(event=event, name_en="Full Dialogue", **type_fields)
    participant = ParticipantFactory(
        user=UserFactory(email="ana@example.org"), preferred_language=language
    )
    return kind, participant


def ana_registration(event, language, **fields):
    return RegistrationFactory(
        event=event,
        participant__user__email="ana@example.org",
        participant__preferred_language=language,
        **fields,
    )


def case_registration_received(event, language):
    kind, participant = registration_setup(event, language, is_public=False)
    registration_services.register(
        participant=participant, registration_type=kind, motivation="", by=participant.user
    )
    return "ana@example.org", r"/me/"


def case_registration_approved(event, language):
    staff = StaffUserFactory()
    registration = ana_registration(event, language)
    registration_services.approve_registration(registration=registration, by=staff)
    return "ana@example.org", r"/me/"


def case_registration_declined(event, language):
    registration = ana_registration(event, language)
    registration_services.decline_registration(registration=registration, by=StaffUserFactory())
    return "ana@example.org", r"/me/"


def case_registration_waitlisted(event, language):
    registration = ana_registration(event, language)
    registration_services.waitlist_registration(
        registration=registration, by=StaffUserFactory(), hold=False
    )
    return "ana@example.org", r"/me/"


def case_registration_promoted(event, language):
    kind = RegistrationTypeFactory(event=event, capacity=1, approved_count=1)
    registration = ana_registration(
        event, language, type=kind, status=Registration.Status.WAITLISTED, waitlist_position=1
    )
    kind.capacity = 2
    kind.save()
    registration_services.fill_from_waitlist(registration_type=kind)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    return "ana@example.org", r"/me/"


def case_registration_cancelled(event, language):
    registration = ana_registration(event, language, status=Registration.Status.APPROVED)
    registration_services.cancel_registration(
        registration=registration, by=registration.participant.user
    )
    return "ana@example.org", r"/me/"


def case_announcement(event, language):
    ana_registration(event, language, status=Registration.Status.APPROVED)
    announcement = Announcement.objects.create(
        event=event,
        title_en="Room change",
        title_es="Cambio de sala",
        body_en="The plenary moves to the main hall.",
        body_es="La plenaria pasa al salón principal.",
        audience=Announcement.Audience.EVERYONE,
        send_email=True,
    )
    assert publish_announcement(announcement=announcement) == 1
    return "ana@example.org", r"/me/"


def case_session_signup_promoted(event, language):
    from participants.signups.services import _queue_promoted_email
    from tests.factories import SessionSignupFactory

    signup = SessionSignupFactory(
        session=SessionFactory(event=event),
        participant__user__email="ana@example.org",
        participant__preferred_language=language,
    )
    _queue_promoted_email(signup)
    return "ana@example.org", rf"/agenda/sessions/{signup.session.pk}/"


def case_invitation(event, language):
    # The invitee has no account yet, so no language: the invitation speaks both.
    invitation = InvitationFactory(event=event, email="invited@example.org")
    send_invitation(invitation=invitation)
    return "invited@example.org", r"/invitation/[^\s\"<]+/"


def case_group_published(event, language):
    group = GroupFactory(event=event, name_en="Working group 1", name_es="Grupo de trabajo 1")
    MembershipFactory(
        group=group,
        participant__user__email="ana@example.org",
        participant__preferred_language=language,
    )
    RegistrationFactory(
        event=event,
        participant=group.memberships.get().participant,
        status=Registration.Status.APPROVED,
    )
    grouping._notify_member(event, group.memberships.get())
    return "ana@example.org", r"/me/"


def _letter_request(event, language):
    # An open-day type: its letters wait for a staff decision.
    registration = ana_registration(
        event,
        language,
        type=RegistrationTypeFactory(event=event, is_public=True),
        status=Registration.Status.APPROVED,
    )
    return certificates.request_letter(
        registration=registration, passport_name="Ana Example", nationality="CR"
    )


def case_letter_issued(event, language):
    letter_request = _letter_request(event, language)
    certificates.approve_letter(letter_request=letter_request, by=StaffUserFactory())
    return "ana@example.org", r"/me/letter/"


def case_letter_declined(event, language):
    letter_request = _letter_request(event, language)
    certificates.decline_letter(
        letter_request=letter_request, by=StaffUserFactory(), reason="Not needed."
    )
    return "ana@example.org", r"/me/letter/"


def _notification(event, language, *, kind, template, context):
    participant = ParticipantFactory(
        user=UserFactory(email="ana@example.org"), preferred_language=language
    )
    queue_prepared_emails(
        emails=[
            prepare(
                participant=participant,
                kind=kind,
                object_key="test",
                template=template,
                context={"event": event, **context},
            )
        ]
    )


def case_daily_digest(event, language):
    day = EventDayFactory(event=event)
    session = SessionFactory(event=event, day=day)
    from participants.notifications.services import SessionRows

    _notification(
        event,
        language,
        kind="daily_digest",
        template="daily_digest",
        context={"day": day, "session_rows": [SessionRows()(session, language)]},
    )
    return "ana@example.org", rf"/agenda/sessions/{session.pk}/"


def case_session_reminder(event, language):
    session = SessionFactory(event=event)
    _notification(
        event,
        language,
        kind="session_reminder",
        template="session_reminder",
        context={"session": session},
    )
    return "ana@example.org", rf"/agenda/sessions/{session.pk}/"


def case_schedule_change(event, language):
    session = SessionFactory(event=event)
    _notification(
        event,
        language,
        kind="schedule_change",
        template="schedule_change",
        context={"session": session},
    )
    return "ana@example.org", rf"/agenda/sessions/{session.pk}/"


def case_new_material(event, language):
    session = SessionFactory(event=event)
    document = DocumentFactory(event=event)
    _notification(
        event,
        language,
        kind="new_material",
        template="new_material",
        context={"document": document, "sessions": [session]},
    )
    return "ana@example.org", rf"/documents/{document.pk}/"


def case_feedback_reminder(event, language):
    from participants.feedback.services import _reminder

    participant = ParticipantFactory(
        user=UserFactory(email="ana@example.org"), preferred_language=language
    )
    queue_prepared_emails(emails=[_reminder(participant, event)])
    return "ana@example.org", r"/me/feedback/"


CASES = {name.removeprefix("case_"): f for name, f in globals().items() if name.startswith("case_")}
# account_message carries allauth's messages: the tests above parse each of them.
ALLAUTH = {"account_message"}


def test_every_email_template_has_a_case():
    templates = {p.name.removesuffix("_body.html") for p in EMAIL_TEMPLATES.glob("*_body.html")}
    assert templates == set(CASES) | ALLAUTH


# How each subject begins in Spanish (the translated subject, not the English one).
SPANISH_SUBJECTS = {
    "announcement": "Diálogo de San José: Cambio de sala",
    "daily_digest": "Su día de mañana,",
    "feedback_reminder": "¿Qué le pareció Diálogo de San José?",
    "group_published": "Su grupo de trabajo: Grupo de trabajo 1",
    "invitation": "Invitation to San José Dialogue / Invitación a Diálogo de San José",
    "letter_declined": "Su carta de invitación para Diálogo de San José",
    "letter_issued": "Su carta de invitación para Diálogo de San José",
    "new_material": "Material nuevo:",
    "registration_approved": "Su inscripción en Diálogo de San José ha sido aprobada",
    "registration_cancelled": "Su inscripción en Diálogo de San José está cancelada",
    "registration_declined": "Su inscripción en Diálogo de San José",
    "registration_promoted": "Se liberó un cupo: su inscripción en Diálogo de San José",
    "registration_received": "Hemos recibido su inscripción en Diálogo de San José",
    "registration_waitlisted": "Usted está en la lista de espera de Diálogo de San José",
    "schedule_change": "Cambio:",
    "session_reminder": "A las ",
    "session_signup_promoted": "Tiene una plaza:",
}


def test_every_kind_has_its_spanish_subject():
    assert set(SPANISH_SUBJECTS) == set(CASES)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", sorted(CASES))
def test_email_has_its_link_in_both_parts_in_the_recipient_language(
    kind, language, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recipient, path = CASES[kind](event, language)

    message = sent_to(recipient)
    assert_link_in_both(message, path)
    subject, text, hrefs, html_words = parsed(message)
    # Every link of the HTML part is absolute and on the site.
    assert all(h.startswith(SITE) for h in hrefs), hrefs
    html = html_part(message)
    if kind == "invitation":  # bilingual whoever receives it, English first
        assert subject == SPANISH_SUBJECTS[kind]
        assert "Diálogo de San José" in text and "San José Dialogue" in text
        assert '<html lang="en">' in html
    elif language == "es":
        assert subject.startswith(SPANISH_SUBJECTS[kind]), subject
        assert "Diálogo de San José" in html_words and "Diálogo de San José" in text
        assert '<html lang="es">' in html
    else:
        assert not subject.startswith(SPANISH_SUBJECTS[kind]), subject
        assert "San José Dialogue" in html_words and "San José Dialogue" in text
        assert '<html lang="en">' in html
