"""The privacy notice and the code of conduct: versioned pages, and consent naming the version."""

from datetime import timedelta

import pytest
from django.urls import reverse

from participants.models import ConsentRecord, Participant
from sanjose import clock
from sanjose.pages import demo
from sanjose.pages.consent import PRIVACY_NOTICE_VERSION, current_versions
from sanjose.pages.models import PolicyVersion
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = PolicyVersion.Kind

PROFILE = {
    "badge_name": "Alba Delegate Example",
    "organisation": "Example Network",
    "sector": "civil_society",
    "country": "GT",
    "preferred_language": "es",
    "accepts_privacy": "on",
    "accepts_conduct": "on",
}


def publish(kind, version, *, ago=timedelta(days=1), text_en="English text.", text_es=""):
    return PolicyVersion.objects.create(
        kind=kind,
        version=version,
        title_en=f"Title {version}",
        title_es=f"Título {version}",
        text_en=text_en,
        text_es=text_es,
        published_at=None if ago is None else clock.now() - ago,
    )


def test_url_names_are_the_ones_other_pages_link_to():
    assert reverse("pages:privacy") == "/privacy/"
    assert reverse("pages:code_of_conduct") == "/code-of-conduct/"


def test_pages_show_the_newest_published_version_in_the_reader_language(client):
    publish(Kind.PRIVACY, "2024-05", ago=timedelta(days=30), text_en="Old words.")
    publish(Kind.PRIVACY, "2024-09", text_en="New words.", text_es="Palabras nuevas.")
    publish(Kind.PRIVACY, "2099-01", ago=None, text_en="Draft words.")

    english = client.get("/privacy/")
    spanish = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="es")

    assert english.status_code == 200
    assert "New words." in english.text and "Version 2024-09" in english.text
    assert "Draft words." not in english.text
    assert "Palabras nuevas." in spanish.text


def test_an_earlier_version_stays_readable_and_says_so(client):
    publish(Kind.CONDUCT, "2024-05", ago=timedelta(days=30), text_en="Old code.")
    publish(Kind.CONDUCT, "2024-09", text_en="New code.")

    response = client.get("/code-of-conduct/2024-05/")

    assert response.status_code == 200
    assert "Old code." in response.text
    assert "no longer in force" in response.text


def test_drafts_unknown_versions_and_no_published_text_answer_404(client):
    publish(Kind.PRIVACY, "2099-01", ago=None)

    assert client.get("/privacy/").status_code == 404
    assert client.get("/privacy/2099-01/").status_code == 404
    assert client.get("/code-of-conduct/nope/").status_code == 404


def test_text_is_escaped_and_paragraphs_kept(client):
    publish(Kind.PRIVACY, "v1", text_en="<script>alert(1)</script>\n\nSecond paragraph.")

    response = client.get("/privacy/")

    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;" in response.text
    assert "<p>Second paragraph.</p>" in response.text


def test_consent_records_the_version_in_force_on_the_profile_and_in_the_history(client):
    publish(Kind.PRIVACY, "2024-09")
    publish(Kind.CONDUCT, "2024-07")
    user = UserFactory()
    client.force_login(user)

    response = client.post("/me/profile/", PROFILE)

    assert response.status_code == 302
    participant = Participant.objects.get(user=user)
    assert (participant.privacy_version, participant.conduct_version) == ("2024-09", "2024-07")
    records = {(r.text, r.version) for r in ConsentRecord.objects.filter(participant=participant)}
    assert records == {(Kind.PRIVACY, "2024-09"), (Kind.CONDUCT, "2024-07")}


def test_a_new_version_asks_for_consent_again_before_registering(client):
    participant = ParticipantFactory()  # agreed to the fallback versions
    client.force_login(participant.user)
    assert current_versions().privacy == PRIVACY_NOTICE_VERSION
    assert client.get("/register/").status_code == 200

    publish(Kind.PRIVACY, "2025-01")
    response = client.get("/register/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/me/profile/")
    assert "accepts_privacy" in client.get("/me/profile/").text


def test_the_demo_publishes_the_versions_participants_already_hold(client):
    demo.build()
    demo.build()  # idempotent

    assert PolicyVersion.objects.count() == 2
    assert current_versions().privacy == PRIVACY_NOTICE_VERSION
    for path in ("/privacy/", "/code-of-conduct/"):
        for language in ("en", "es"):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200
            assert "2024-05" in response.text


def test_a_published_text_is_read_only_in_the_admin(admin_client):
    policy = publish(Kind.PRIVACY, "v1")
    draft = publish(Kind.PRIVACY, "v2", ago=None)

    published_form = admin_client.get(f"/admin/pages/policyversion/{policy.pk}/change/")
    draft_form = admin_client.get(f"/admin/pages/policyversion/{draft.pk}/change/")

    assert 'name="text_en"' not in published_form.text
    assert 'name="text_en"' in draft_form.text
