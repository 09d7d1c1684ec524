"""The two-tier page cache: fresh on the next request, never across audiences, no
cookies on anonymous pages, gzip, conditional feeds, and a miss when Redis is down."""

import gzip
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from documents.models import Document
from documents.services import publish_documents
from events.models import Session
from events.services import save_session
from participants.models import Group, Registration
from sanjose import pagecache
from sanjose.pagecache import clear_local
from tests.factories import (
    DocumentFactory,
    EventDayFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    StaffUserFactory,
    UserFactory,
)

PUBLIC, PARTICIPANTS, CLOSED = (
    "Open plenary Alpha",
    "Delegates panel Bravo",
    "Strategy room Charlie",
)
ROLES = ["anonymous", "account", "guest", "participant", "member", "staff"]
# What each role's agenda shows by title (closed meetings are bare slots for participants).
SEES = {
    "anonymous": {PUBLIC},
    "account": {PUBLIC},
    "guest": {PUBLIC},
    "participant": {PUBLIC, PARTICIPANTS},
    "member": {PUBLIC, PARTICIPANTS, CLOSED},
    "staff": {PUBLIC, PARTICIPANTS, CLOSED},
}


@pytest.fixture
def world(db):
    event = EventFactory(is_current=True)
    day = EventDayFactory(event=event, date=event.start_date)
    group = GroupFactory(event=event, kind=Group.Kind.CLOSED)
    sessions = {}
    for hour, (title, audience) in enumerate(
        [(PUBLIC, "public"), (PARTICIPANTS, "participants"), (CLOSED, "groups")]
    ):
        session = SessionFactory(event=event, day=day, title_en=title, audience=audience)
        session.starts_at += timedelta(hours=hour)
        session.ends_at += timedelta(hours=hour)
        session.save()
        sessions[audience] = session
    sessions["groups"].groups.add(group)
    full = RegistrationTypeFactory(event=event, slug="full", is_public=False)
    open_day = RegistrationTypeFactory(event=event, slug="open-day", is_public=True)
    users = {"anonymous": None, "staff": StaffUserFactory(username="staff-viewer")}
    users["account"] = ParticipantFactory().user
    guest = ParticipantFactory()
    RegistrationFactory(participant=guest, event=event, type=open_day, status="approved")
    users["guest"] = guest.user
    participant = ParticipantFactory()
    RegistrationFactory(participant=participant, event=event, type=full, status="approved")
    users["participant"] = participant.user
    member = ParticipantFactory()
    RegistrationFactory(participant=member, event=event, type=full, status="approved")
    MembershipFactory(participant=member, group=group)
    users["member"] = member.user
    return {"event": event, "sessions": sessions, "users": users, "member": member}


def get_as(client, user, url, **headers):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, **headers)


def titles_in(html: str) -> set[str]:
    return {title for title in (PUBLIC, PARTICIPANTS, CLOSED) if title in html}


@pytest.mark.parametrize("filler", ROLES)
def test_a_cached_agenda_never_shows_one_audience_what_belongs_to_another(client, world, filler):
    cache.clear()
    clear_local()
    get_as(client, world["users"][filler], "/agenda/")  # this role fills the cache

    for role in ROLES:
        html = get_as(client, world["users"][role], "/agenda/").content.decode()
        assert titles_in(html) == SEES[role], (filler, role)
        assert ("Sign out" in html) == (role != "anonymous"), (filler, role)


@pytest.mark.parametrize("filler", ROLES)
def test_a_cached_session_page_is_404_for_whoever_may_not_see_it(client, world, filler):
    url = world["sessions"]["participants"].get_absolute_url()
    cache.clear()
    clear_local()
    get_as(client, world["users"][filler], url)

    for role in ROLES:
        status = get_as(client, world["users"][role], url).status_code
        assert status == (200 if PARTICIPANTS in SEES[role] else 404), (filler, role)


@pytest.mark.parametrize("role", ["anonymous", "participant", "member"])
def test_a_change_shows_on_the_next_request(client, world, role):
    user = world["users"][role]
    assert PUBLIC in get_as(client, user, "/agenda/").content.decode()
    assert PUBLIC in get_as(client, user, "/agenda/").content.decode()  # served cached

    session = world["sessions"]["public"]
    session.title_en = "Renamed plenary Delta"
    save_session(session=session)

    html = get_as(client, user, "/agenda/").content.decode()
    assert "Renamed plenary Delta" in html
    assert PUBLIC not in html


def test_a_renamed_event_shows_on_the_cached_home_page_at_once(client, world):
    assert b"The Renamed Dialogue" not in client.get("/").content
    world["event"].name = "The Renamed Dialogue"
    world["event"].save()

    assert b"The Renamed Dialogue" in client.get("/").content


@pytest.mark.parametrize("url", ["/", "/agenda/", "/documents/", "/open-day/"])
def test_anonymous_pages_set_no_cookie_and_are_served_from_the_cache(client, world, url):
    first = client.get(url)
    second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert not first.cookies and not second.cookies
    assert first.content == second.content
    assert b"csrfmiddlewaretoken" not in second.content


def test_the_language_switch_is_a_link_that_sets_only_the_language_cookie(client, world):
    page = client.get("/agenda/").content.decode()
    assert 'href="/lang/es/?next=/agenda/"' in page

    response = client.get("/lang/es/?next=/agenda/")

    assert response.status_code == 302
    assert response["Location"] == "/agenda/"
    assert set(response.cookies) == {"django_language"}
    assert response.cookies["django_language"].value == "es"
    assert "no-store" in response["Cache-Control"]
    html = client.get("/agenda/").content.decode()
    assert 'lang="es"' in html
    assert "Agenda" in html


def test_the_language_switch_keeps_the_query_of_the_page(client, world):
    page = client.get("/documents/?q=tourism&language=es").content.decode()

    assert 'href="/lang/es/?next=/documents/%3Fq%3Dtourism%26language%3Des"' in page
    response = client.get("/lang/es/?next=/documents/%3Fq%3Dtourism%26language%3Des")
    assert response["Location"] == "/documents/?q=tourism&language=es"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""],
)
def test_the_language_switch_sends_home_rather_than_off_the_site(client, world, target):
    response = client.get("/lang/es/", {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_language_switch_knows_only_our_languages(client, world):
    response = client.get("/lang/fr/?next=/agenda/")

    assert response.status_code == 404
    assert not response.cookies


def test_the_language_switch_accepts_no_post(client, world):
    assert client.post("/lang/es/", {"next": "/"}).status_code == 405


def test_each_language_has_its_own_cached_page(client, world):
    english = client.get("/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get("/agenda/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert '<html lang="en">' in english
    assert '<html lang="es">' in spanish


def test_a_flash_message_is_never_cached_for_the_next_visitor(client, world):
    client.force_login(world["users"]["account"])
    client.post("/accounts/logout/")  # leaves "You have signed out." for the next page

    with_message = client.get("/agenda/")
    stranger = client.__class__().get("/agenda/")

    assert "signed out" in with_message.content.decode().lower()
    assert "signed out" not in stranger.content.decode().lower()


def test_cached_pages_are_sent_gzipped_to_who_asks(client, world):
    plain = client.get("/agenda/")
    zipped = client.get("/agenda/", HTTP_ACCEPT_ENCODING="gzip")

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 2


def test_signed_in_pages_are_gzipped_too(client, world):
    client.force_login(world["users"]["participant"])

    response = client.get("/me/schedule/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert b"csrfmiddlewaretoken" in gzip.decompress(response.content)


class BrokenRedis:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis is down")

        return fail


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_redis_down_is_a_miss_not_an_error(client, world, monkeypatch, role):
    monkeypatch.setattr(pagecache, "cache", BrokenRedis())
    user = world["users"][role]

    agenda = get_as(client, user, "/agenda/")
    feed = client.get(f"/calendar/{world['member'].calendar_token}.ics")

    assert agenda.status_code == 200
    assert titles_in(agenda.content.decode()) == SEES[role]
    assert feed.status_code == 200
    assert CLOSED.encode() in feed.content


def test_the_personal_feed_answers_conditional_requests(client, world):
    url = f"/calendar/{world['member'].calendar_token}.ics"
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert again.status_code == 304 and again.content == b""
    assert since.status_code == 304
    assert "no-store" not in first["Cache-Control"] and "private" in first["Cache-Control"]


def test_the_personal_feed_changes_with_the_schedule(client, world):
    url = f"/calendar/{world['member'].calendar_token}.ics"
    first = client.get(url)
    session = world["sessions"]["groups"]
    session.title_en = "Strategy room Echo"
    save_session(session=session)

    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert b"Strategy room Echo" in after.content


def test_a_reset_calendar_token_stops_the_cached_feed(client, world):
    from participants.schedule.services import reset_calendar_token

    member = world["member"]
    old = f"/calendar/{member.calendar_token}.ics"
    assert client.get(old).status_code == 200

    reset_calendar_token(participant=member)

    assert client.get(old).status_code == 404
    assert client.get(f"/calendar/{member.calendar_token}.ics").status_code == 200


def test_a_cancelled_registration_loses_the_participant_agenda_at_once(client, world):
    user = world["users"]["participant"]
    assert PARTICIPANTS in get_as(client, user, "/agenda/").content.decode()

    Registration.objects.get(participant__user=user).delete()

    assert titles_in(get_as(client, user, "/agenda/").content.decode()) == {PUBLIC}


def test_a_new_session_shows_in_the_cached_anonymous_agenda(client, world):
    assert "Late addition Foxtrot" not in client.get("/agenda/").content.decode()
    session = Session(
        event=world["event"],
        day=world["sessions"]["public"].day,
        starts_at=world["sessions"]["public"].starts_at + timedelta(hours=5),
        ends_at=world["sessions"]["public"].ends_at + timedelta(hours=5),
        title_en="Late addition Foxtrot",
        kind="panel",
        audience="public",
    )
    save_session(session=session)

    assert "Late addition Foxtrot" in client.get("/agenda/").content.decode()


def test_documents_published_by_a_bulk_update_show_in_the_cached_library(client, world):
    document = DocumentFactory(
        event=world["event"], title_en="Bulk-published Golf", access="public", is_published=False
    )
    assert "Bulk-published Golf" not in client.get("/documents/").content.decode()

    publish_documents(documents=Document.objects.filter(pk=document.pk))  # QuerySet.update()

    assert "Bulk-published Golf" in client.get("/documents/").content.decode()


def test_a_write_outside_the_content_apps_keeps_the_cache(client, world):
    client.get("/agenda/")
    version = pagecache.content_version()

    UserFactory(username="someone-new@example.org")  # auth_user: no page shows it

    assert pagecache.content_version() == version


class CountingCache:
    """Django's cache, counting the reads of the content version."""

    def __init__(self, real):
        self.real = real
        self.version_reads = 0

    def get(self, key, *args, **kwargs):
        if key == pagecache.VERSION_KEY:
            self.version_reads += 1
        return self.real.get(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_signed_in_page_reads_the_content_version_once(client, world, monkeypatch):
    client.force_login(world["users"]["member"])
    client.get("/agenda/")  # fills the viewer, the event and the agenda's days
    counting = CountingCache(cache)
    monkeypatch.setattr(pagecache, "cache", counting)

    response = client.get("/agenda/")

    assert response.status_code == 200
    assert titles_in(response.content.decode()) == SEES["member"]
    assert counting.version_reads == 1


def test_a_write_during_a_request_moves_its_version_on_at_once(rf, world):
    seen = []

    def view(request):
        seen.append(pagecache.content_version())
        Session.objects.filter(pk=world["sessions"]["public"].pk).update(title_en="Renamed")
        seen.append(pagecache.content_version())
        return pagecache.HttpResponse("ok")

    pagecache.RequestScopeMiddleware(view)(rf.get("/"))

    assert seen[0] != seen[1]
    assert seen[1] == pagecache.content_version()  # what the next request reads


def test_cached_sign_up_forms_carry_each_requests_own_csrf_token(world):
    from django.test import Client

    session = world["sessions"]["participants"]
    session.signup_required = True
    session.capacity = 5
    session.starts_at = timezone.now() + timedelta(days=1)
    session.ends_at = session.starts_at + timedelta(hours=1)
    session.save()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["users"]["participant"])
    first = browser.get("/me/schedule/").content.decode()
    second = browser.get("/me/schedule/").content.decode()

    tokens = [
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in (first, second)
    ]
    assert 'class="signup-row' in first
    assert pagecache.CSRF_PLACEHOLDER not in first + second
    assert tokens[0] and tokens[1] and tokens[0][0] != tokens[1][0]  # masked anew each time
    signup = browser.post(f"/me/signups/{session.pk}/", {"csrfmiddlewaretoken": tokens[1][0]})
    assert signup.status_code == 302
    assert "You have a seat" in browser.get("/me/schedule/").content.decode()


def test_an_export_leaves_the_cached_pages_alone(world):
    """Its audit row (participants.ExportLog) is shown by no cached page: logging it must
    not make every cached page stale for everyone."""
    from django.contrib.auth import get_user_model

    from participants.desk.selectors.exports import world_cafe_listing
    from participants.desk.services import log_export

    staff = get_user_model().objects.filter(
        is_staff=True
    ).first() or get_user_model().objects.create(username="export-staff", is_staff=True)
    before = pagecache.content_version()

    log_export(
        user=staff, listing=world_cafe_listing(event_id=None), file_format="csv", row_count=0
    )

    assert pagecache.content_version() == before
