"""The access matrix of docs/architecture.md on the library, search, detail, download and preview:
what a viewer may not see does not exist for them (no title, no count, 404)."""

import pytest

from documents.models import Document
from sanjose import clock
from sanjose.access import viewer_for
from tests.factories import DocumentFactory, EventFactory, ParticipantFactory, RegistrationFactory

from .conftest import sample_pdf

A = Document.Access
# Which documents each column of the access table sees.
SEES = {
    "anonymous": {"Public"},
    "pending": {"Public"},
    "approved": {"Public", "Participants"},
    "member": {"Public", "Participants", "Group"},
    "staff": {"Public", "Participants", "Group", "Staff", "Draft"},
    "staff without role": {"Public", "Participants", "Group", "Draft"},
}
VIEWERS = list(SEES)


@pytest.fixture
def library(matrix, store_file):
    """One document per access level, each with a PDF whose text holds 'zorblax'."""
    documents = {}
    for title, access, published in [
        ("Public", A.PUBLIC, True),
        ("Participants", A.PARTICIPANTS, True),
        ("Group", A.GROUPS, True),
        ("Staff", A.STAFF, True),
        ("Draft", A.PARTICIPANTS, False),
    ]:
        document = DocumentFactory(
            event=matrix.event,
            title_en=f"{title} title",
            access=access,
            is_published=published,
            published_at=clock.now() if published else None,
        )
        if access == A.GROUPS:
            document.groups.add(matrix.group)
        store_file(document, "en", sample_pdf(f"The word zorblax is in the {title} PDF."))
        documents[title] = document
    return documents


def sign_in(client, matrix, who: str) -> None:
    user = matrix.users[who]
    if user is not None:
        client.force_login(user)


def listed_titles(response) -> set[str]:
    return {d.title_en.removesuffix(" title") for d in response.context["page"].object_list}


@pytest.mark.parametrize("who", VIEWERS)
def test_library_lists_only_what_the_viewer_may_see(client, matrix, library, who):
    sign_in(client, matrix, who)

    response = client.get("/documents/")

    html = response.content.decode()
    assert listed_titles(response) == SEES[who]
    for title in set(library) - SEES[who]:
        assert f"{title} title" not in html
    count = len(SEES[who])
    assert f"{count} document{'s' if count > 1 else ''}" in html


@pytest.mark.parametrize("who", VIEWERS)
def test_search_finds_only_what_the_viewer_may_see(client, matrix, library, who):
    sign_in(client, matrix, who)

    response = client.get("/documents/", {"q": "zorblax"})

    assert listed_titles(response) == SEES[who]
    assert response.context["page"].paginator.count == len(SEES[who])


@pytest.mark.parametrize("who", VIEWERS)
def test_detail_download_and_preview_answer_404_for_what_the_viewer_may_not_see(
    client, matrix, library, who
):
    sign_in(client, matrix, who)

    for title, document in library.items():
        expected = 200 if title in SEES[who] else 404
        detail = client.get(f"/documents/{document.pk}/")
        download = client.get(f"/documents/{document.pk}/download/en/")
        preview = client.get(f"/documents/{document.pk}/thumbnail/en/")
        assert (title, detail.status_code) == (title, expected)
        assert (title, download.status_code) == (title, expected)
        assert (title, preview.status_code) == (title, expected)
        if expected == 404:
            assert f"{title} title" not in detail.content.decode()


@pytest.mark.parametrize("who", VIEWERS)
def test_guessed_ids_and_languages_answer_404(client, matrix, library, who):
    sign_in(client, matrix, who)
    missing = max(d.pk for d in library.values()) + 1
    public = library["Public"].pk

    assert client.get(f"/documents/{missing}/").status_code == 404
    assert client.get(f"/documents/{missing}/download/en/").status_code == 404
    assert client.get(f"/documents/{public}/download/es/").status_code == 404
    assert client.get(f"/documents/{public}/download/..%2F..%2Fsettings/").status_code == 404


def test_approval_for_another_event_opens_nothing_here(client, matrix, library):
    elsewhere = ParticipantFactory()
    RegistrationFactory(participant=elsewhere, event=EventFactory(), status="approved")
    client.force_login(elsewhere.user)

    response = client.get("/documents/")

    assert listed_titles(response) == {"Public"}
    assert client.get(f"/documents/{library['Participants'].pk}/").status_code == 404


def test_can_download_agrees_with_visible_to(matrix, library):
    for who, titles in SEES.items():
        user = matrix.users[who]
        viewer = viewer_for(user)
        for title, document in library.items():
            assert document.can_download(viewer) is (title in titles), (who, title)
