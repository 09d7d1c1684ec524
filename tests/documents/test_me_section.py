"""The /me/ section: the documents of my sessions, through the one schedule definition."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from documents.models import Document
from documents.selectors import documents_of_my_sessions
from participants.models import Registration
from tests.factories import (
    DocumentFactory,
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    event = EventFactory(is_current=True)
    participant = ParticipantFactory()
    RegistrationFactory(participant=participant, event=event, status=Registration.Status.APPROVED)
    plenary = SessionFactory(event=event, title_en="Plenary")
    other_event = SessionFactory(title_en="Elsewhere", audience="public")
    mine = DocumentFactory(event=event, title_en="Plenary slides", access="participants")
    mine.sessions.add(plenary)
    staff_only = DocumentFactory(event=event, title_en="Staff notes", access="staff")
    staff_only.sessions.add(plenary)
    unlinked = DocumentFactory(event=event, title_en="Library only", access="participants")
    elsewhere = DocumentFactory(title_en="Other event handout")
    elsewhere.sessions.add(other_event)
    assert unlinked.sessions.count() == 0
    return participant


def test_my_documents_are_those_of_my_sessions_that_i_may_see(me):
    documents = documents_of_my_sessions(user=me.user)

    assert [d.title_en for d in documents] == ["Plenary slides"]


def test_the_me_section_lists_them_with_download_links(me):
    request = RequestFactory().get("/me/")
    request.user = me.user

    html = render_to_string("participants/me/_documents.html", request=request)

    document = Document.objects.get(title_en="Plenary slides")
    assert "Documents of my sessions" in html
    assert f'href="/documents/{document.pk}/"' in html
    assert "Staff notes" not in html and "Library only" not in html


def test_the_me_section_without_a_participant_profile_says_none_yet(db):
    request = RequestFactory().get("/me/")
    request.user = AnonymousUser()

    html = render_to_string("participants/me/_documents.html", request=request)

    assert "No documents for your sessions yet." in html
