"""What a participant sees of their groups and World Café tables, and the staff exports."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from participants.groups import selectors
from participants.models import Group, Registration, WorldCafeSeat
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    WorldCafeFactory,
    WorldCafeTableFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe():
    session = SessionFactory(kind="world_cafe")
    cafe = WorldCafeFactory(session=session, rounds=2, published_at=timezone.now())
    for n in (1, 2):
        WorldCafeTableFactory(cafe=cafe, number=n, topic_en=f"Topic {n}")
    return cafe


def seat(cafe, participant, plan):
    """Seat an approved participant of the café's event (only their seats count)."""
    event = cafe.session.event
    if not Registration.objects.filter(participant=participant, event=event).exists():
        RegistrationFactory(participant=participant, event=event, status="approved")
    tables = {t.number: t for t in cafe.tables.all()}
    for round_number, number in enumerate(plan, start=1):
        WorldCafeSeat.objects.create(
            cafe=cafe, round_number=round_number, table=tables[number], participant=participant
        )


def render_section(participant, event_id):
    section = selectors.me_groups_section(participant=participant, event_id=event_id)
    return render_to_string("participants/me/_groups.html", {"sections": {"groups": section}})


def test_me_shows_published_and_closed_groups_with_topic_room_and_facilitator(cafe):
    event = cafe.session.event
    me = ParticipantFactory()
    # Groups count for an approved participant of the event (sanjose/access.py).
    RegistrationFactory(participant=me, event=event, status="approved")
    facilitator = ParticipantFactory(badge_name="Facilitator Example 1")
    working = GroupFactory(
        event=event,
        name="Access to justice",
        topic_en="Access to justice for child victims",
        room=RoomFactory(event=event, name="Sala Arenal"),
        facilitator=facilitator,
        is_published=True,
    )
    draft = GroupFactory(event=event, name="Draft group")
    closed = GroupFactory(event=event, name="Youth advisory panel", kind=Group.Kind.CLOSED)
    for group in (working, draft, closed):
        MembershipFactory(participant=me, group=group)

    html = render_section(me, event.pk)

    assert "Access to justice for child victims" in html
    assert "Sala Arenal" in html and "Facilitator Example 1" in html
    assert "Youth advisory panel" in html
    assert "Draft group" not in html


def test_me_shows_my_table_per_round_only_once_the_plan_is_published(cafe):
    me = ParticipantFactory()
    seat(cafe, me, [2, 1])

    html = render_section(me, cafe.session.event_id)
    cafe.published_at = None
    cafe.save(update_fields=["published_at"])
    hidden = render_section(me, cafe.session.event_id)

    assert "Round 1: table 2, topic Topic 2" in " ".join(html.split())
    assert "Round 2: table 1, topic Topic 1" in " ".join(html.split())
    assert "Round 1" not in hidden


def test_cafe_seats_for_lists_rounds_in_order_for_this_event_only(cafe):
    me = ParticipantFactory()
    seat(cafe, me, [2, 1])
    other = WorldCafeFactory(rounds=1, published_at=timezone.now())
    WorldCafeTableFactory(cafe=other, number=1)
    seat(other, me, [1])

    seats = selectors.cafe_seats_for(participant=me, event_id=cafe.session.event_id)

    assert [(s.round_number, s.table.number) for s in seats] == [(1, 2), (2, 1)]


def test_hosts_see_who_comes_to_their_table_each_round(cafe):
    table = cafe.tables.get(number=1)
    guests = [ParticipantFactory(badge_name=f"Guest Example {n}") for n in range(3)]
    seat(cafe, table.host, [1, 1])
    seat(cafe, guests[0], [1, 2])
    seat(cafe, guests[1], [2, 1])
    seat(cafe, guests[2], [1, 2])

    hosted = selectors.hosted_tables_for(participant=table.host, event_id=cafe.session.event_id)

    assert [[g.badge_name for g in r.guests] for r in hosted[0].rounds] == [
        ["Guest Example 0", "Guest Example 2"],
        ["Guest Example 1"],
    ]
    html = " ".join(render_section(table.host, cafe.session.event_id).split())
    assert "World Café: you host table 1, topic Topic 1" in html
    assert "Round 1: 2 people" in html and "Round 2: 1 person" in html


@pytest.mark.parametrize("people", [2, 8])
def test_me_section_queries_do_not_grow_with_groups_or_guests(cafe, people):
    event = cafe.session.event
    me = cafe.tables.get(number=1).host
    seat(cafe, me, [1, 1])
    for n in range(people):
        MembershipFactory(participant=me, group=GroupFactory(event=event, is_published=True))
        seat(cafe, ParticipantFactory(), [1 + n % 2, 2 - n % 2])
    Event.objects.current()  # loaded by the page frame (the zone its times are shown in)

    with CaptureQueriesContext(connection) as queries:
        render_section(me, event.pk)

    assert len(queries) == 4


def test_group_list_rows_are_one_per_membership(cafe):
    event = cafe.session.event
    group = GroupFactory(event=event, name="Data and evidence", is_published=True)
    MembershipFactory(group=group, participant=ParticipantFactory(badge_name="=SUM(A1)"))

    rows = selectors.group_list_rows(event_id=event.pk)

    assert rows[0] == selectors.GROUP_LIST_HEADER
    assert rows[1][0] == "Data and evidence" and rows[1][6] == "=SUM(A1)"
    assert len(rows) == 2


def test_the_staff_plan_and_export_list_only_seats_that_count(cafe):
    """A person who cancels after the plan was computed has no table on /me/ or the
    host's list (WorldCafeSeat.objects.counting); the staff's plan and export say the same,
    without waiting for a recompute."""
    from participants.desk.selectors.exports import world_cafe_listing

    staying = ParticipantFactory(badge_name="Staying Example")
    leaving = ParticipantFactory(badge_name="Leaving Example")
    seat(cafe, staying, [1, 2])
    seat(cafe, leaving, [2, 1])
    Registration.objects.filter(participant=leaving).update(status="cancelled")

    plan = selectors.cafe_plan_rows(cafe=cafe)[1:]
    export = list(world_cafe_listing(event_id=cafe.session.event_id).rows())

    assert {row[4] for row in plan} == {"Staying Example"}
    assert {row[5] for row in export} == {"Staying Example"}
