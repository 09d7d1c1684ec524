"""A small, fully known event for the export, dashboard and check-in tests."""

from dataclasses import dataclass
from datetime import date, timedelta

from events.models import Event, EventDay
from participants.models import Group, Registration, RegistrationType
from tests.factories import (
    EventDayFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
)

FIRST_DAY = date(2024, 6, 3)
OPEN_DAY = date(2024, 6, 4)


@dataclass
class Dialogue:
    event: Event
    other_event: Event
    days: list[EventDay]
    full: RegistrationType
    open_day: RegistrationType
    group: Group
    ana: Registration  # full, approved, CR, civil society, in the group, vegan
    ben: Registration  # full, submitted, BR, government
    cai: Registration  # open day, approved, US, private sector, wheelchair
    dee: Registration  # full, declined, CR, academia
    eve: Registration  # the other event, approved, CR


def person(name: str, **profile):
    defaults = {"badge_name": name, "organisation": f"{name} Org"}
    return ParticipantFactory(**{**defaults, **profile})


def build_dialogue() -> Dialogue:
    event = EventFactory(name="San José Test", is_current=True)
    other_event = EventFactory(name="Bangkok Test")
    days = [EventDayFactory(event=event, date=FIRST_DAY + timedelta(days=n)) for n in range(5)]
    full = RegistrationTypeFactory(event=event, name_en="Full Dialogue")
    full.days.set(days)
    open_day = RegistrationTypeFactory(event=event, name_en="Open Day")
    open_day.days.set([days[1]])
    group = GroupFactory(event=event, name="Working group A")
    approved, submitted = Registration.Status.APPROVED, Registration.Status.SUBMITTED
    ana = RegistrationFactory(
        event=event,
        type=full,
        status=approved,
        participant=person(
            "Ana Example", country="CR", subregion="central_america_mexico", dietary_needs="Vegan"
        ),
    )
    MembershipFactory(participant=ana.participant, group=group)
    ben = RegistrationFactory(
        event=event,
        type=full,
        status=submitted,
        participant=person(
            "Ben Example", country="BR", subregion="south_america", sector="government"
        ),
    )
    cai = RegistrationFactory(
        event=event,
        type=open_day,
        status=approved,
        participant=person(
            "Cai Example",
            country="US",
            subregion="north_america",
            sector="private_sector",
            accessibility_needs="Wheelchair access",
        ),
    )
    dee = RegistrationFactory(
        event=event,
        type=full,
        status=Registration.Status.DECLINED,
        participant=person("Dee Example", country="CR", sector="academia"),
    )
    eve = RegistrationFactory(
        event=other_event, status=approved, participant=person("Eve Example", country="CR")
    )
    return Dialogue(event, other_event, days, full, open_day, group, ana, ben, cai, dee, eve)
