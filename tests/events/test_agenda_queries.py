"""The query count of /agenda/ and /me/schedule/ does not grow with the programme."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, Session
from participants.models import Group, Registration, SessionSignup
from sanjose.pagecache import clear_local
from tests.factories import (
    EventDayFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

ZONE = ZoneInfo("America/Costa_Rica")


def programme(size: int):
    """`size` sessions over five days in size/10 rooms, two speakers each, every third a
    closed meeting of its own group, every seventh needing a sign-up; one member."""
    event = EventFactory(is_current=True)
    days = [
        EventDayFactory(event=event, date=event.start_date + timedelta(days=d)) for d in range(5)
    ]
    rooms = [RoomFactory(event=event, position=r) for r in range(max(size // 10, 1))]
    speakers = [SpeakerFactory(event=event) for _ in range(max(size // 5, 2))]
    member = ParticipantFactory()
    RegistrationFactory(participant=member, event=event, status=Registration.Status.APPROVED)
    for n in range(size):
        day = days[n % 5]
        start = datetime.combine(day.date, datetime.min.time(), tzinfo=ZONE) + timedelta(
            hours=8 + (n // 5) % 10
        )
        closed = n % 3 == 0
        session = SessionFactory(
            event=event,
            day=day,
            room=rooms[n % len(rooms)],
            starts_at=start,
            ends_at=start + timedelta(minutes=50),
            audience=Session.Audience.GROUPS if closed else Session.Audience.PARTICIPANTS,
            signup_required=n % 7 == 0,
        )
        if closed:
            group = GroupFactory(event=event, kind=Group.Kind.CLOSED)
            session.groups.add(group)
            MembershipFactory(participant=member, group=group)
        if n % 7 == 0:
            SessionSignup.objects.create(participant=member, session=session)
        for speaker in (speakers[n % len(speakers)], speakers[(n + 1) % len(speakers)]):
            SessionSpeakerFactory(session=session, speaker=speaker)
    return member


def queries_at(client, size: int, url: str, signed_in: bool) -> int:
    """Lay a programme of `size` sessions as the current event and count the queries of
    one request (the cache emptied first, so the page is really built)."""
    Event.objects.update(is_current=False)
    member = programme(size)
    if signed_in:
        client.force_login(member.user)
    cache.clear()
    clear_local()
    url = url(member) if callable(url) else url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if signed_in and url in ("/agenda/", "/me/schedule/"):  # every session in full, once
        assert response.content.decode().count("session-card") == size
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/agenda/", "/me/schedule/"])
def test_signed_in_query_count_does_not_grow_with_the_programme(client, url):
    small = queries_at(client, 10, url, signed_in=True)
    large = queries_at(client, 300, url, signed_in=True)

    assert large == small
    assert small <= 13  # cold caches; the event and its days from the cache once warm


@pytest.mark.django_db
def test_anonymous_agenda_query_count_does_not_grow_with_the_programme(client):
    small = queries_at(client, 10, "/agenda/", signed_in=False)
    large = queries_at(client, 300, "/agenda/", signed_in=False)

    assert large == small
    assert small <= 6


def a_session_page(member) -> str:
    return Session.objects.filter(event__is_current=True).order_by("pk").last().get_absolute_url()


def my_feed(member) -> str:
    return f"/calendar/{member.calendar_token}.ics"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "signed_in", "budget"),
    [
        ("/", False, 4),
        ("/documents/", False, 8),
        ("/me/", True, 20),
        (a_session_page, True, 12),
        (my_feed, False, 9),
    ],
)
def test_other_pages_query_count_does_not_grow_with_the_programme(client, url, signed_in, budget):
    small = queries_at(client, 10, url, signed_in=signed_in)
    large = queries_at(client, 300, url, signed_in=signed_in)

    assert large == small
    assert small <= budget


WARM_QUERIES = {"/agenda/": 2, "/me/": 2, "/me/schedule/": 2}  # the session, the user


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/agenda/", "/me/", "/me/schedule/"])
def test_signed_in_pages_once_warm_ask_the_database_little(client, url):
    """What a second visit costs: the session and the user; the event, its days, the
    viewer, the person's profile and the 300 sessions come from the page cache."""
    queries_at(client, 300, url, signed_in=True)  # fills the caches

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    tables = [query["sql"].split(" FROM ", 1)[-1].split(" ", 1)[0] for query in queries]
    assert '"events_session"' not in tables
    assert '"events_event"' not in tables
    assert '"participants_participant"' not in tables
    assert len(queries) <= WARM_QUERIES[url], tables
