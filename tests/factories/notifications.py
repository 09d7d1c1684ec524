"""Factories the notification tests need beyond the shared ones: sign-ups, World Café
seats and published documents linked to sessions."""

import factory

from documents.models import Category, Document
from participants.models import (
    Registration,
    SessionSignup,
    WorldCafe,
    WorldCafeSeat,
    WorldCafeTable,
)

from .events import EventFactory, SessionFactory
from .participants import ParticipantFactory, RegistrationFactory


def approved_participant(*, event, **participant_fields):
    """A participant with an approved registration for the event."""
    participant = ParticipantFactory(**participant_fields)
    RegistrationFactory(participant=participant, event=event, status=Registration.Status.APPROVED)
    return participant


class SessionSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSignup

    participant = factory.SubFactory(ParticipantFactory)
    session = factory.SubFactory(SessionFactory)


class WorldCafeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorldCafe

    session = factory.SubFactory(SessionFactory)


class WorldCafeTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorldCafeTable

    cafe = factory.SubFactory(WorldCafeFactory)
    number = factory.Sequence(lambda n: n + 1)
    topic_en = factory.Sequence(lambda n: f"Table topic {n}")
    topic_es = factory.Sequence(lambda n: f"Tema de mesa {n}")


class WorldCafeSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorldCafeSeat

    table = factory.SubFactory(WorldCafeTableFactory)
    cafe = factory.SelfAttribute("table.cafe")
    round_number = 1
    participant = factory.SubFactory(ParticipantFactory)


class NotificationCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "session-material"
    name_en = "Session material"


class SessionDocumentFactory(factory.django.DjangoModelFactory):
    """A published document; pass `sessions=[…]` to link it to sessions."""

    class Meta:
        model = Document
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    title_en = factory.Sequence(lambda n: f"Document {n}")
    title_es = factory.Sequence(lambda n: f"Documento {n}")
    category = factory.SubFactory(NotificationCategoryFactory)
    access = Document.Access.PARTICIPANTS
    is_published = True

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if create and extracted:
            self.sessions.set(extracted)
