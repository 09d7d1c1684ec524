from datetime import datetime, time
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from participants.models import (
    CheckIn,
    Group,
    Membership,
    Participant,
    Registration,
    RegistrationType,
    Sector,
    SessionSignup,
    WorldCafe,
    WorldCafeSeat,
    WorldCafeTable,
)

from .events import EventFactory, SessionFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(UserFactory)
    badge_name = factory.Sequence(lambda n: f"Delegate Example {n}")
    organisation = "Example Network"
    sector = Sector.CIVIL_SOCIETY
    country = "CR"
    subregion = "central_america_mexico"


class RegistrationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationType

    event = factory.SubFactory(EventFactory)
    slug = factory.Sequence(lambda n: f"type-{n}")
    name_en = factory.Sequence(lambda n: f"Registration type {n}")
    capacity = None


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    participant = factory.SubFactory(ParticipantFactory)
    event = factory.SubFactory(EventFactory)
    type = factory.SubFactory(RegistrationTypeFactory, event=factory.SelfAttribute("..event"))
    status = Registration.Status.SUBMITTED


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    kind = Group.Kind.WORKING
    capacity = 20


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    participant = factory.SubFactory(ParticipantFactory)
    group = factory.SubFactory(GroupFactory)


class StaffUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    registration = factory.SubFactory(RegistrationFactory, status=Registration.Status.APPROVED)
    day = factory.LazyAttribute(lambda o: o.registration.event.start_date)
    checked_in_at = factory.LazyAttribute(
        lambda o: datetime.combine(o.day, time(8, 42), tzinfo=ZoneInfo("America/Costa_Rica"))
    )


class WorldCafeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorldCafe

    session = factory.SubFactory(SessionFactory, kind="world_cafe")


class WorldCafeTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorldCafeTable

    cafe = factory.SubFactory(WorldCafeFactory)
    number = factory.Sequence(lambda n: n + 1)
    topic_en = factory.Sequence(lambda n: f"Table topic {n}")


class WorldCafeSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorldCafeSeat

    table = factory.SubFactory(WorldCafeTableFactory)
    cafe = factory.SelfAttribute("table.cafe")
    round_number = 1
    participant = factory.SubFactory(ParticipantFactory)


class SessionSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSignup

    participant = factory.SubFactory(ParticipantFactory)
    session = factory.SubFactory(SessionFactory, signup_required=True)
