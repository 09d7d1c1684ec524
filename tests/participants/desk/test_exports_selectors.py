from datetime import date

import pytest

from events.models import Session
from participants.desk.selectors.exports import (
    AttendeeFilters,
    accessibility_listing,
    attendance_listing,
    attendee_listing,
    badge_listing,
    catering_listing,
    group_listing,
    session_listing,
    world_cafe_listing,
)
from participants.models import Membership
from tests.factories import (
    CheckInFactory,
    MembershipFactory,
    SessionFactory,
    SessionSignupFactory,
    WorldCafeFactory,
    WorldCafeSeatFactory,
    WorldCafeTableFactory,
)
from tests.participants.staff_data import FIRST_DAY, OPEN_DAY, build_dialogue, person

THIRD_DAY = date(2024, 6, 5)
pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue():
    return build_dialogue()


def names(filters: AttendeeFilters) -> list[str]:
    listing = attendee_listing(filters=filters, columns=["name"])
    return [row[0] for row in listing.rows()]


def test_no_filter_lists_every_registration_of_every_event_by_name(dialogue):
    assert names(AttendeeFilters()) == [
        "Ana Example",
        "Ben Example",
        "Cai Example",
        "Dee Example",
        "Eve Example",
    ]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"status": "approved"}, ["Ana Example", "Cai Example"]),
        ({"day": THIRD_DAY}, ["Ana Example", "Ben Example", "Dee Example"]),
        ({"day": OPEN_DAY}, ["Ana Example", "Ben Example", "Cai Example", "Dee Example"]),
        ({"country": "CR"}, ["Ana Example", "Dee Example"]),
        ({"subregion": "north_america"}, ["Cai Example"]),
        ({"sector": "government"}, ["Ben Example"]),
        ({"status": "approved", "day": FIRST_DAY}, ["Ana Example"]),
    ],
)
def test_each_filter_gives_exactly_the_matching_registrations(dialogue, filters, expected):
    assert names(AttendeeFilters(event_id=dialogue.event.pk, **filters)) == expected


def test_event_type_and_group_filters_give_exactly_the_matching_registrations(dialogue):
    assert names(AttendeeFilters(event_id=dialogue.other_event.pk)) == ["Eve Example"]
    assert names(AttendeeFilters(type_id=dialogue.open_day.pk)) == ["Cai Example"]
    assert names(AttendeeFilters(group_id=dialogue.group.pk)) == ["Ana Example"]


def test_the_columns_come_in_the_order_chosen_with_readable_values(dialogue):
    CheckInFactory(registration=dialogue.ana, day=FIRST_DAY)
    MembershipFactory(
        participant=dialogue.ana.participant, group__event=dialogue.event, group__name="B"
    )

    listing = attendee_listing(
        filters=AttendeeFilters(event_id=dialogue.event.pk, status="approved"),
        columns=[
            "name",
            "country",
            "subregion",
            "status",
            "days",
            "groups",
            "checked_in",
            "dietary",
        ],
    )

    assert listing.headers == [
        "Name",
        "Country",
        "Sub-region",
        "Status",
        "Days attending",
        "Groups",
        "Checked in on",
        "Dietary needs",
    ]
    assert list(listing.rows()) == [
        [
            "Ana Example",
            "Costa Rica",
            "Central America and Mexico",
            "Approved",
            "2024-06-03; 2024-06-04; 2024-06-05; 2024-06-06; 2024-06-07",
            "B; Working group A",
            "2024-06-03",
            "Vegan",
        ],
        [
            "Cai Example",
            "United States of America",
            "North America",
            "Approved",
            "2024-06-04",
            "",
            "",
            "",
        ],
    ]
    assert listing.count() == 2


def test_unknown_columns_are_ignored_and_none_means_the_usual_ones(dialogue):
    listing = attendee_listing(filters=AttendeeFilters(), columns=["password", "name"])
    assert listing.headers == ["Name"]
    usual = attendee_listing(filters=AttendeeFilters(), columns=[])
    assert usual.headers[:3] == ["Name", "Email", "Organisation"]


def test_the_log_holds_the_filters_chosen_not_the_data(dialogue):
    listing = attendee_listing(
        filters=AttendeeFilters(event_id=dialogue.event.pk, status="approved", day=FIRST_DAY),
        columns=["name", "email"],
    )
    assert listing.filters == {
        "event_id": str(dialogue.event.pk),
        "status": "approved",
        "day": "2024-06-03",
        "columns": ["name", "email"],
    }


def test_attendance_lists_check_ins_per_day_in_event_time(dialogue):
    CheckInFactory(registration=dialogue.ana, day=FIRST_DAY)
    CheckInFactory(registration=dialogue.ana, day=OPEN_DAY)
    CheckInFactory(registration=dialogue.cai, day=OPEN_DAY)
    CheckInFactory(registration=dialogue.eve, day=OPEN_DAY)

    rows = list(attendance_listing(event_id=dialogue.event.pk, day=OPEN_DAY).rows())

    assert rows == [
        [
            "2024-06-04",
            "2024-06-04 08:42",
            "Ana Example",
            "Ana Example Org",
            "Costa Rica",
            "Full Dialogue",
        ],
        [
            "2024-06-04",
            "2024-06-04 08:42",
            "Cai Example",
            "Cai Example Org",
            "United States of America",
            "Open Day",
        ],
    ]
    assert attendance_listing(event_id=dialogue.event.pk, day=None).count() == 3


def test_catering_lists_each_approved_diet_on_each_day_attended(dialogue):
    dialogue.cai.participant.dietary_needs = "Halal"
    dialogue.cai.participant.save()
    dialogue.ben.participant.dietary_needs = "Vegetarian"  # not approved: not fed
    dialogue.ben.participant.save()

    rows = list(catering_listing(event_id=dialogue.event.pk, day=None).rows())

    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("2024-06-03", "Ana Example", "Vegan"),
        ("2024-06-04", "Ana Example", "Vegan"),
        ("2024-06-04", "Cai Example", "Halal"),
        ("2024-06-05", "Ana Example", "Vegan"),
        ("2024-06-06", "Ana Example", "Vegan"),
        ("2024-06-07", "Ana Example", "Vegan"),
    ]
    assert catering_listing(event_id=dialogue.event.pk, day=OPEN_DAY).count() == 2


def test_accessibility_and_badge_lists_hold_approved_people_only(dialogue):
    dialogue.dee.participant.accessibility_needs = "Ramp"  # declined
    dialogue.dee.participant.save()

    access = list(accessibility_listing(event_id=dialogue.event.pk).rows())
    badges = list(badge_listing(event_id=dialogue.event.pk).rows())

    assert access == [
        [
            "Cai Example",
            "Cai Example Org",
            "United States of America",
            dialogue.cai.participant.user.email,
            "2024-06-04",
            "Wheelchair access",
        ]
    ]
    assert badges == [
        ["Ana Example", "Ana Example Org", "Costa Rica", "Full Dialogue"],
        ["Cai Example", "Cai Example Org", "United States of America", "Open Day"],
    ]


def test_group_list_holds_its_members_with_their_role(dialogue):
    MembershipFactory(
        participant=dialogue.ben.participant, group=dialogue.group, role=Membership.Role.RAPPORTEUR
    )
    rows = list(group_listing(group_id=dialogue.group.pk).rows())
    assert [(r[0], r[4], r[5]) for r in rows] == [
        ("Ana Example", "Working group A", "Member"),
        ("Ben Example", "Working group A", "Rapporteur"),
    ]


def test_session_list_follows_sign_ups_groups_or_the_day(dialogue):
    signed = SessionFactory(event=dialogue.event, day=dialogue.days[0], signup_required=True)
    SessionSignupFactory(session=signed, participant=dialogue.cai.participant)
    closed = SessionFactory(
        event=dialogue.event, day=dialogue.days[0], audience=Session.Audience.GROUPS
    )
    closed.groups.add(dialogue.group)
    open_day_plenary = SessionFactory(event=dialogue.event, day=dialogue.days[1])

    def session_names(session):
        return [row[0] for row in session_listing(session=session).rows()]

    assert session_names(signed) == ["Cai Example"]
    assert session_names(closed) == ["Ana Example"]
    assert session_names(open_day_plenary) == ["Ana Example", "Cai Example"]


def test_world_cafe_plan_lists_rounds_and_tables(dialogue):
    cafe = WorldCafeFactory(session__event=dialogue.event, session__day=dialogue.days[2])
    host = person("Host Example")
    table_1 = WorldCafeTableFactory(cafe=cafe, number=1, topic_en="Data", host=host)
    table_2 = WorldCafeTableFactory(cafe=cafe, number=2, topic_en="Travel", host=None)
    WorldCafeSeatFactory(table=table_2, round_number=1, participant=dialogue.ana.participant)
    WorldCafeSeatFactory(table=table_1, round_number=1, participant=dialogue.cai.participant)
    WorldCafeSeatFactory(table=table_1, round_number=2, participant=dialogue.ana.participant)

    rows = list(world_cafe_listing(event_id=dialogue.event.pk).rows())

    assert [row[1:6] for row in rows] == [
        [1, 1, "Data", "Host Example", "Cai Example"],
        [1, 2, "Travel", "", "Ana Example"],
        [2, 1, "Data", "Host Example", "Ana Example"],
    ]
