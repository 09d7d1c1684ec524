from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup

from participants.models import (
    CheckIn,
    Group,
    Invitation,
    Membership,
    Participant,
    Registration,
    RegistrationType,
    Sector,
    SessionSignup,
    TopicPreference,
    WorldCafe,
    WorldCafeSeat,
    WorldCafeTable,
)
from sanjose import clock
from sanjose.pages.consent import CODE_OF_CONDUCT_VERSION, PRIVACY_NOTICE_VERSION

from .events import EventFactory, SessionFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(UserFactory)
    badge_name = factory.Sequence(lambda n: f"Delegate Example {n}")
    organisation = "Example Network"
    sector = Sector.CIVIL_SOCIETY
    country = "CR"
    subregion = "central_america_mexico"
    privacy_consent_at = factory.LazyFunction(clock.now)
    privacy_version = PRIVACY_NOTICE_VERSION
    conduct_consent_at = factory.LazyFunction(clock.now)
    conduct_version = CODE_OF_CONDUCT_VERSION


class RegistrationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationType

    event = factory.SubFactory(EventFactory)
    slug = factory.Sequence(lambda n: f"type-{n}")
    name_en = factory.Sequence(lambda n: f"Registration type {n}")
    capacity = None
    is_public = False
    # As the data migration sets it: invitation types admit participants, public ones guests.
    grants_participant_access = factory.LazyAttribute(lambda o: not o.is_public)


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
        rename = {"name": "name_en"}

    event = factory.SubFactory(EventFactory)
    name_en = factory.Sequence(lambda n: f"Group {n}")
    kind = Group.Kind.WORKING
    capacity = 20


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    participant = factory.SubFactory(ParticipantFactory)
    group = factory.SubFactory(GroupFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    event = factory.SubFactory(EventFactory)
    type = factory.SubFactory(RegistrationTypeFactory, event=factory.SelfAttribute("..event"))
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    name = factory.Sequence(lambda n: f"Invitee Example {n}")
    organisation = "Example Foundation"
    expires_at = factory.LazyFunction(lambda: clock.now() + timedelta(days=30))


class TopicPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicPreference

    participant = factory.SubFactory(ParticipantFactory)
    group = factory.SubFactory(GroupFactory)
    rank = 1


class WorldCafeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorldCafe

    session = factory.SubFactory(SessionFactory, kind="world_cafe")
    rounds = 3


class WorldCafeTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorldCafeTable

    cafe = factory.SubFactory(WorldCafeFactory)
    number = factory.Sequence(lambda n: n + 1)
    topic_en = factory.Sequence(lambda n: f"Table topic {n}")
    topic_es = factory.Sequence(lambda n: f"Tema de mesa {n}")
    host = factory.SubFactory(ParticipantFactory)


class StaffUserFactory(UserFactory):
    """A staff account; `roles=[...]` puts it in those role groups (participants/roles.py),
    without roles it has no permission at all."""

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        groups = list(AuthGroup.objects.filter(name__in=extracted))
        assert len(groups) == len(set(extracted)), f"unknown role in {extracted}"
        self.groups.set(groups)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    registration = factory.SubFactory(RegistrationFactory, status=Registration.Status.APPROVED)
    day = factory.LazyAttribute(lambda o: o.registration.event.start_date)
    checked_in_at = factory.LazyAttribute(
        lambda o: datetime.combine(o.day, time(8, 42), tzinfo=ZoneInfo("America/Costa_Rica"))
    )


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
