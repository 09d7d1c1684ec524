"""/me/schedule/: what applies to me, today and the next session first, the feed link."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.models import Session
from participants.models import Registration, WorldCafe, WorldCafeSeat, WorldCafeTable
from sanjose import clock
from tests.factories import (
    EventDayFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
)

ZONE = ZoneInfo("America/Costa_Rica")
pytestmark = pytest.mark.django_db


@pytest.fixture
def me(db):
    event = EventFactory(is_current=True)
    participant = ParticipantFactory()
    RegistrationFactory(participant=participant, event=event, status=Registration.Status.APPROVED)
    for offset, title in enumerate(["Monday", "Tuesday", "Wednesday"]):
        day = EventDayFactory(event=event, date=event.start_date + timedelta(days=offset))
        for hour in (9, 11):
            start = datetime.combine(day.date, datetime.min.time(), tzinfo=ZONE).replace(hour=hour)
            SessionFactory(
                event=event,
                day=day,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                title_en=f"{title} {hour}:00",
            )
    return participant


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr("participants.schedule.selectors.now", lambda: moment)


def test_schedule_puts_now_next_and_today_before_the_other_days(client, me, monkeypatch):
    at(monkeypatch, datetime(2024, 6, 4, 9, 30, tzinfo=ZONE))  # Tuesday, during the 9:00
    client.force_login(me.user)

    html = client.get("/me/schedule/").content.decode()

    order = [
        html.index("Now and next"),
        html.index("Tuesday 9:00"),
        html.index("Tuesday 11:00"),
        html.index("Wednesday 9:00"),
        html.index("Earlier days"),
        html.index("Monday 9:00"),
    ]
    assert order == sorted(order)
    now_next = html[html.index("Now and next") : html.index("Today")]
    assert "Tuesday 9:00" in now_next and "Tuesday 11:00" in now_next


def test_schedule_before_the_event_offers_the_first_session_next(client, me, monkeypatch):
    at(monkeypatch, datetime(2024, 6, 1, 12, 0, tzinfo=ZONE))
    client.force_login(me.user)

    html = client.get("/me/schedule/").content.decode()

    now_next = html[html.index("Now and next") : html.index("Monday 11:00")]
    assert "Monday 9:00" in now_next
    assert "Earlier days" not in html


def test_a_cancelled_session_is_struck_through_and_never_next(client, me, monkeypatch):
    at(monkeypatch, datetime(2024, 6, 1, 12, 0, tzinfo=ZONE))
    Session.objects.filter(title_en="Monday 9:00").update(is_cancelled=True)
    client.force_login(me.user)

    html = client.get("/me/schedule/").content.decode()

    now_next = html[html.index("Now and next") : html.index("Monday 9:00")]
    assert "Monday 11:00" in now_next
    assert "is-cancelled" in html


def test_schedule_shows_the_private_feed_link_and_the_reset_button(client, me):
    client.force_login(me.user)

    response = client.get("/me/schedule/")

    html = response.content.decode()
    assert f"http://testserver/calendar/{me.calendar_token}.ics" in html
    assert f"webcal://testserver/calendar/{me.calendar_token}.ics" in html
    assert 'action="/me/schedule/reset-calendar/"' in html
    assert response["Cache-Control"] == "private, no-store"


def test_schedule_needs_a_sign_in(client):
    response = client.get("/me/schedule/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_account_without_a_profile_is_told_to_register(client):
    client.force_login(UserFactory())

    html = client.get("/me/schedule/").content.decode()

    assert "once you have filled in your profile and registered" in html


def test_reset_token_needs_a_post(client, me):
    client.force_login(me.user)

    assert client.get("/me/schedule/reset-calendar/").status_code == 405


def test_working_group_sessions_show_my_published_group_and_its_room(client, me):
    event = me.registrations.get().event
    Session.objects.filter(title_en="Monday 11:00").update(
        kind=Session.Kind.WORKING_GROUPS, room=None
    )
    room = RoomFactory(event=event, name="Sala Arenal")
    group = GroupFactory(event=event, name="Working group 3: tourism", room=room)
    MembershipFactory(participant=me, group=group)
    client.force_login(me.user)
    assert "Working group 3" not in client.get("/me/schedule/").content.decode()

    group.is_published = True
    group.save()

    html = client.get("/me/schedule/").content.decode()
    assert '<span class="working-group">Working group 3: tourism, Sala Arenal</span>' in html


def test_the_me_page_offers_to_subscribe_not_to_download(client, me):
    client.force_login(me.user)

    html = client.get("/me/").content.decode()

    section = html[html.index('id="me-calendar-title"') :]
    assert 'href="/me/schedule/"' in section
    assert f'href="webcal://testserver/calendar/{me.calendar_token}.ics"' in section
    # The https link is there to copy, not as a download button.
    assert f'value="http://testserver/calendar/{me.calendar_token}.ics"' in section
    assert f'href="/calendar/{me.calendar_token}.ics"' not in html


def test_the_me_page_shows_the_badge_first_and_the_menu_has_it(client, me):
    client.force_login(me.user)

    html = client.get("/me/").content.decode()

    menu = html[html.index("<nav") : html.index("</nav>")]
    assert 'href="/me/badge/"' in menu
    main = html[html.index('<main id="main"') :]
    assert main.index('href="/me/badge/"') < main.index('id="me-calendar-title"')
    assert main.index('id="me-badge"') < main.index('id="me-calendar-title"')


def test_the_subscribe_button_is_at_the_top_of_the_schedule(client, me, monkeypatch):
    at(monkeypatch, datetime(2024, 6, 4, 9, 30, tzinfo=ZONE))
    client.force_login(me.user)

    html = client.get("/me/schedule/").content.decode()

    subscribe = html.index(f'href="webcal://testserver/calendar/{me.calendar_token}.ics"')
    assert subscribe < html.index("Now and next") < html.index('class="agenda-day')


def test_now_and_next_say_where_with_my_working_group_room(client, me, monkeypatch):
    at(monkeypatch, datetime(2024, 6, 4, 9, 30, tzinfo=ZONE))
    event = me.registrations.get().event
    room = RoomFactory(event=event, name="Sala Arenal", directions_en="First floor")
    group = GroupFactory(event=event, name="Working group 3: tourism", room=room, is_published=True)
    MembershipFactory(group=group, participant=me)
    Session.objects.filter(title_en="Tuesday 11:00").update(
        kind=Session.Kind.WORKING_GROUPS, room=None
    )
    client.force_login(me.user)

    html = client.get("/me/schedule/").content.decode()

    now_next = html[html.index("data-now-next") : html.index('class="agenda-day')]
    nxt = now_next[now_next.index("data-next") :]
    assert "Tuesday 11:00" in nxt
    assert "Working group 3: tourism, Sala Arenal (First floor)" in nxt
    # Days to jump to, today first: no scrolling through the whole event.
    nav = html[html.index('class="schedule-days') :]
    assert nav.index("#schedule-day-20240604") < nav.index("#schedule-day-20240605")


def test_schedule_shows_my_world_cafe_table_in_each_round(client, me):
    event = me.registrations.get().event
    cafe_session = SessionFactory(event=event, kind=Session.Kind.WORLD_CAFE, title_en="World Café")
    cafe = WorldCafe.objects.create(session=cafe_session, rounds=2, published_at=clock.now())
    data = WorldCafeTable.objects.create(cafe=cafe, number=1, topic_en="Data and evidence")
    travel = WorldCafeTable.objects.create(cafe=cafe, number=2, topic_en="Travel and tourism")
    WorldCafeSeat.objects.create(cafe=cafe, round_number=1, table=travel, participant=me)
    WorldCafeSeat.objects.create(cafe=cafe, round_number=2, table=data, participant=me)
    client.force_login(me.user)

    html = client.get("/me/schedule/").content.decode()

    assert "Round 1: table 2, Travel and tourism" in html
    assert "Round 2: table 1, Data and evidence" in html


def test_an_unpublished_world_cafe_plan_stays_off_the_schedule(client, me):
    event = me.registrations.get().event
    cafe_session = SessionFactory(event=event, kind=Session.Kind.WORLD_CAFE, title_en="World Café")
    cafe = WorldCafe.objects.create(session=cafe_session, rounds=1)
    table = WorldCafeTable.objects.create(cafe=cafe, number=1, topic_en="Data and evidence")
    WorldCafeSeat.objects.create(cafe=cafe, round_number=1, table=table, participant=me)
    client.force_login(me.user)

    html = client.get("/me/schedule/").content.decode()

    assert "World Café" in html
    assert "Round 1: table 1" not in html
