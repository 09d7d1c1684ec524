"""The access matrix (docs/architecture.md) on /agenda/, the session page and both feeds."""

import pytest
from icalendar import Calendar

from .conftest import VIEWERS

PUBLIC, PARTICIPANTS, CLOSED = "public", "participants_only", "closed"

# Which sessions each viewer sees in full (title and page).
SEES = {
    "anonymous": {PUBLIC},
    "pending": {PUBLIC},
    "approved": {PUBLIC, PARTICIPANTS},
    "member": {PUBLIC, PARTICIPANTS, CLOSED},
    "staff": {PUBLIC, PARTICIPANTS, CLOSED},
}
# Who sees the closed meeting as a bare "Closed meeting" slot.
SEES_SLOT_ONLY = {"approved"}


@pytest.mark.parametrize("who", VIEWERS)
def test_agenda_shows_each_viewer_exactly_what_the_rules_allow(client, world, who):
    world.login(client, who)

    html = client.get("/agenda/").content.decode()

    for name in (PUBLIC, PARTICIPANTS, CLOSED):
        session = getattr(world, name)
        assert (session.title_en in html) == (name in SEES[who]), name
        assert (session.get_absolute_url() in html) == (name in SEES[who]), name
    assert ("Closed meeting" in html) == (who in SEES_SLOT_ONLY | {"member", "staff"})
    if who in SEES_SLOT_ONLY:
        assert "GARA" not in html
        assert "Sala Monteverde" in html  # the slot keeps its time and room


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("name", [PUBLIC, PARTICIPANTS, CLOSED])
def test_session_page_answers_404_to_whoever_may_not_see_it(client, world, who, name):
    world.login(client, who)
    session = getattr(world, name)

    response = client.get(session.get_absolute_url())

    if name in SEES[who]:
        assert response.status_code == 200
        assert session.title_en in response.content.decode()
    else:
        assert response.status_code == 404
        assert session.title_en not in response.content.decode()


@pytest.mark.parametrize("who", VIEWERS)
def test_public_feed_holds_only_public_sessions_whoever_asks(client, world, who):
    world.login(client, who)

    calendar = Calendar.from_ical(client.get("/agenda.ics").content)

    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [world.public.title_en]


@pytest.mark.parametrize("who", ["pending", "approved", "member"])
def test_personal_feed_holds_what_applies_to_its_owner(client, world, who):
    token = world.people[who].calendar_token

    calendar = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)

    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries == {getattr(world, name).title_en for name in SEES[who]}


def test_personal_feed_with_an_unknown_token_is_404(client, world):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


@pytest.mark.parametrize("who", ["pending", "approved", "member", "staff"])
def test_signed_in_pages_are_private(client, world, who):
    world.login(client, who)

    for url in ["/agenda/", world.public.get_absolute_url(), "/open-day/", "/me/schedule/"]:
        assert "private" in client.get(url)["Cache-Control"], url


def test_the_cached_public_agenda_never_reaches_a_viewer_who_sees_more(client, world):
    anonymous_html = client.get("/agenda/").content.decode()
    world.login(client, "member")
    member_html = client.get("/agenda/").content.decode()
    client.logout()
    again_html = client.get("/agenda/").content.decode()

    assert world.closed.title_en not in anonymous_html
    assert world.closed.title_en in member_html
    assert world.closed.title_en not in again_html
    assert world.participants_only.title_en not in again_html


def test_the_cached_public_agenda_follows_a_change_once_committed(
    client, world, django_capture_on_commit_callbacks
):
    from events.services import update_session

    assert "Open panel on tourism" in client.get("/agenda/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        update_session(session=world.public, title_en="Renamed open panel")

    html = client.get("/agenda/").content.decode()
    assert "Renamed open panel" in html
    assert "Open panel on tourism" not in html


def test_the_public_agenda_is_cached_per_language(client, world):
    world.public.title_es = "Panel abierto sobre turismo"
    world.public.save()
    assert "Open panel on tourism" in client.get("/agenda/").content.decode()

    client.get("/lang/es/?next=/agenda/")

    assert "Panel abierto sobre turismo" in client.get("/agenda/").content.decode()


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", ["Public programme"]),
        ("pending", ["Public programme"]),
        ("approved", ["Public programme", "Speaker notes"]),
        ("staff", ["Draft not published", "Public programme", "Speaker notes"]),
    ],
)
def test_session_page_lists_only_the_documents_the_viewer_may_see(client, world, who, expected):
    from documents.models import Category, Document

    category = Category.objects.create(slug="programme", name_en="Programme")
    for title, access, published in [
        ("Public programme", Document.Access.PUBLIC, True),
        ("Speaker notes", Document.Access.PARTICIPANTS, True),
        ("Draft not published", Document.Access.PUBLIC, False),
    ]:
        document = Document.objects.create(
            event=world.event,
            title_en=title,
            category=category,
            access=access,
            is_published=published,
        )
        document.sessions.add(world.public)
    world.login(client, who)

    response = client.get(world.public.get_absolute_url())

    assert [d.title_en for d in response.context["documents"]] == expected
    html = response.content.decode()
    for document in response.context["documents"]:
        assert f'href="/documents/{document.pk}/"' in html
    assert ("Speaker notes" in html) == ("Speaker notes" in expected)
