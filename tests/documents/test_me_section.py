"""The /me/ section: the documents of my sessions, through the one schedule definition."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.models import Registration
from participants.schedule.selectors import documents_of_my_sessions
from sanjose.access import viewer_for
from tests.factories import (
    DocumentFactory,
    DocumentFileFactory,
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
    DocumentFileFactory(document=mine, language="es")
    staff_only = DocumentFactory(event=event, title_en="Staff notes", access="staff")
    staff_only.sessions.add(plenary)
    DocumentFactory(event=event, title_en="Library only", access="participants")
    elsewhere = DocumentFactory(title_en="Other event handout")
    elsewhere.sessions.add(other_event)
    return participant


def test_my_documents_are_those_of_my_sessions_that_i_may_see(me):
    event = EventFactory._meta.model.objects.current()

    documents = documents_of_my_sessions(
        participant=me, viewer=viewer_for(me.user), event_id=event.pk
    )

    assert [d.title_en for d in documents] == ["Plenary slides"]


def test_me_page_lists_them_with_download_links(client, me):
    client.force_login(me.user)

    response = client.get("/me/")

    html = response.content.decode()
    document = response.context["sections"]["documents"][0]
    assert "Documents of my sessions" in html
    assert f'href="/documents/{document.pk}/"' in html
    assert f'href="/documents/{document.pk}/download/es/"' in html
    assert "Staff notes" not in html and "Library only" not in html


def test_me_page_without_documents_says_none_yet(client):
    EventFactory(is_current=True)
    client.force_login(ParticipantFactory().user)

    response = client.get("/me/")

    assert "No documents for your sessions yet." in response.content.decode()


def test_my_documents_query_count_does_not_grow(me):
    event = EventFactory._meta.model.objects.current()
    session = event.sessions.get()
    viewer = viewer_for(me.user)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            list(documents_of_my_sessions(participant=me, viewer=viewer, event_id=event.pk))
        return len(queries)

    small = count_queries()
    for _ in range(10):
        document = DocumentFactory(event=event, access="participants")
        document.sessions.add(session)
        DocumentFileFactory(document=document)
    assert count_queries() == small == 2  # documents with their category, then files


def test_me_page_shows_the_five_newest_and_counts_the_rest(client, me):
    plenary = me.registrations.get().event.sessions.get(title_en="Plenary")
    for n in range(7):
        extra = DocumentFactory(event=plenary.event, title_en=f"Extra {n}", access="participants")
        extra.sessions.add(plenary)
    client.force_login(me.user)

    html = client.get("/me/").content.decode()

    assert html.count("list-group-item document-item") == 5
    assert "And 3 more documents in the library." in html
