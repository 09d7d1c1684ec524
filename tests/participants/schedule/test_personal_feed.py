"""The personal feed says where the person goes: group room, World Café tables, SEQUENCE."""

import pytest
from icalendar import Calendar

from events.services import update_session
from participants.models import Registration
from sanjose import clock
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    WorldCafeFactory,
    WorldCafeSeatFactory,
    WorldCafeTableFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(is_current=True)


@pytest.fixture
def me(event):
    return RegistrationFactory(event=event, status=Registration.Status.APPROVED).participant


def feed(client, participant) -> dict[str, object]:
    response = client.get(f"/calendar/{participant.calendar_token}.ics")
    assert response.status_code == 200
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_working_group_sessions_carry_the_room_of_my_group(client, event, me):
    SessionFactory(event=event, room=None, kind="working_groups", title_en="Working groups I")
    group = GroupFactory(
        event=event, name="Travel and tourism", room=RoomFactory(event=event, name="Sala Arenal")
    )
    MembershipFactory(participant=me, group=group)
    group.is_published = True
    group.save()

    entry = feed(client, me)["Working groups I"]

    assert str(entry["LOCATION"]) == "Sala Arenal"
    assert "My working group: Travel and tourism" in str(entry["DESCRIPTION"])


def test_an_unpublished_group_gives_no_location(client, event, me):
    SessionFactory(event=event, room=None, kind="working_groups", title_en="Working groups I")
    group = GroupFactory(event=event, room=RoomFactory(event=event))
    MembershipFactory(participant=me, group=group)

    assert "LOCATION" not in feed(client, me)["Working groups I"]


def test_world_cafe_tables_appear_round_by_round_in_my_language(client, event, me):
    cafe = WorldCafeFactory(
        session__event=event, session__title_en="World Café", session__title_es="Café del mundo"
    )
    cafe.published_at = clock.now()
    cafe.save()
    first = WorldCafeTableFactory(cafe=cafe, number=2, topic_en="Codes of conduct")
    second = WorldCafeTableFactory(cafe=cafe, number=5, topic_en="Data", topic_es="Datos")
    WorldCafeSeatFactory(table=first, round_number=1, participant=me)
    WorldCafeSeatFactory(table=second, round_number=2, participant=me)

    description = str(feed(client, me)["World Café"]["DESCRIPTION"])
    assert description.startswith("Round 1: table 2, Codes of conduct\nRound 2: table 5, Data")

    me.preferred_language = "es"
    me.save()
    description = str(feed(client, me)["Café del mundo"]["DESCRIPTION"])
    assert "Ronda 2: mesa 5, Datos" in description


def test_a_description_only_edit_bumps_the_feed_sequence(client, event, me):
    session = SessionFactory(event=event, audience="participants", title_en="Plenary")
    assert feed(client, me)["Plenary"]["SEQUENCE"] == 0

    update_session(session=session, description_en="Now with the agenda of the plenary.")

    entry = feed(client, me)["Plenary"]
    assert entry["SEQUENCE"] == 1
    assert "agenda of the plenary" in str(entry["DESCRIPTION"])
