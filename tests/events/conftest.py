"""An event with one session of each audience and one viewer of each kind (docs/architecture.md)."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from events.models import Event, Session
from participants.models import Group, Participant, Registration
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


@dataclass
class World:
    event: Event
    public: Session
    participants_only: Session
    closed: Session
    people: dict[str, Participant | None]
    users: dict

    def login(self, client, who: str):
        if self.users[who] is not None and not isinstance(self.users[who], AnonymousUser):
            client.force_login(self.users[who])
        return client


VIEWERS = ["anonymous", "pending", "approved", "member", "staff"]


@pytest.fixture
def world(db) -> World:
    event = EventFactory(is_current=True)
    day = EventDayFactory(event=event, title_en="Shared understanding")
    room = RoomFactory(event=event, name="Sala Guanacaste", position=0)
    side_room = RoomFactory(event=event, name="Sala Monteverde", position=1)
    public = SessionFactory(
        event=event,
        day=day,
        room=room,
        title_en="Open panel on tourism",
        audience=Session.Audience.PUBLIC,
    )
    participants_only = SessionFactory(
        event=event, day=day, room=room, title_en="Plenary on national consultations"
    )
    participants_only.starts_at = public.ends_at
    participants_only.ends_at = public.ends_at + (public.ends_at - public.starts_at)
    participants_only.save()
    closed_group = GroupFactory(event=event, kind=Group.Kind.CLOSED, name="GARA delegations")
    closed = SessionFactory(
        event=event,
        day=day,
        room=side_room,
        title_en="Secret strategy of the GARA delegations",
        audience=Session.Audience.GROUPS,
        kind=Session.Kind.CLOSED_MEETING,
    )
    closed.groups.add(closed_group)

    people: dict[str, Participant | None] = {"anonymous": None, "staff": None}
    for who, status in [
        ("pending", Registration.Status.SUBMITTED),
        ("approved", Registration.Status.APPROVED),
        ("member", Registration.Status.APPROVED),
    ]:
        people[who] = ParticipantFactory(user=UserFactory(username=who))
        RegistrationFactory(participant=people[who], event=event, status=status)
    MembershipFactory(participant=people["member"], group=closed_group)
    users = {who: (person.user if person else None) for who, person in people.items()}
    users["staff"] = UserFactory(username="staff", is_staff=True)
    return World(event, public, participants_only, closed, people, users)
