"""The site speaks the person's language: a new profile starts from the language they
browse in, signing in switches to the profile's language, emails follow the profile."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail

from participants.models import Participant
from tests.factories import EventFactory, ParticipantFactory, RegistrationTypeFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def verified(address):
    user = UserFactory(username=f"u-{address}", email=address)
    EmailAddress.objects.create(user=user, email=address, verified=True, primary=True)
    return user


def profile_data(**extra):
    return {
        "badge_name": "Lucía Invitada Ejemplo",
        "organisation": "Red de Ejemplo",
        "sector": "civil_society",
        "country": "CR",
        "accepts_privacy": "on",
        "accepts_conduct": "on",
        **extra,
    }


def test_a_new_profile_preselects_the_language_being_browsed_in(client):
    client.force_login(verified("lucia@example.org"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    form = client.get("/me/profile/").context["form"]

    assert form["preferred_language"].value() == "es"
    assert form.initial["preferred_language"] == "es"


def test_an_existing_profile_keeps_its_language(client):
    user = verified("ana@example.org")
    ParticipantFactory(user=user, preferred_language="en")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    assert client.get("/me/profile/").context["form"]["preferred_language"].value() == "en"


def test_spanish_open_day_guest_gets_the_approval_email_in_spanish(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(name_en="San José Dialogue", name_es="Diálogo de San José")
    event.is_current = True
    event.save()
    RegistrationTypeFactory(event=event, slug="open-day", is_public=True, name_es="Día abierto")
    client.force_login(verified("lucia@example.org"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    # The form as a browser posts it: the preselected language comes back.
    language = client.get("/me/profile/").context["form"]["preferred_language"].value()
    client.post("/me/profile/", profile_data(preferred_language=language))

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register/?type=open-day", {"type": event.registration_types.get().pk})

    assert Participant.objects.get().preferred_language == "es"
    approved = mail.outbox[-1]
    assert "Diálogo de San José" in approved.subject
    assert "aprobada" in approved.body


def test_signing_in_switches_to_the_profile_language(client):
    user = verified("mateo@example.org")
    user.set_password(PASSWORD)
    user.save()
    ParticipantFactory(user=user, preferred_language="es")

    response = client.post("/accounts/login/", {"login": "mateo@example.org", "password": PASSWORD})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get("/me/").content.decode()
    assert '<html lang="es">' in page


def test_saving_the_profile_switches_the_site_language(client):
    user = verified("ana@example.org")
    ParticipantFactory(user=user, preferred_language="en")
    client.force_login(user)

    response = client.post("/me/profile/", profile_data(preferred_language="es"))

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
