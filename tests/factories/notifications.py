"""Factories the notification tests need beyond the shared ones: sign-ups, World Café
seats and published documents linked to sessions."""

import factory

from documents.models import Category, Document
from participants.models import Registration, SessionSignup, WorldCafeSeat

from .events import EventFactory, SessionFactory
from .participants import (  # noqa: F401 - re-exported for the notification tests
    ParticipantFactory,
    RegistrationFactory,
    SessionSignupFactory,
    WorldCafeFactory,
    WorldCafeSeatFactory,
    WorldCafeTableFactory,
)


def approved_participant(*, event, **participant_fields):
    """A participant with an approved registration for the event."""
    participant = ParticipantFactory(**participant_fields)
    RegistrationFactory(participant=participant, event=event, status=Registration.Status.APPROVED)
    return participant


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


def digest_crowd(*, count: int, groups: int = 8, start: int = 0) -> dict:
    """An event day with sessions of every kind and `count` approved participants spread
    over working groups, closed groups, sign-ups and World Café tables, written in bulk.
    For the digest's query-count test and benchmarks/digest.py."""
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model

    from participants.models import Group, Membership, Participant

    from .events import EventDayFactory, RoomFactory
    from .participants import GroupFactory, RegistrationTypeFactory

    zone = ZoneInfo("America/Costa_Rica")
    event = EventFactory()
    day = EventDayFactory(event=event, date=date(2024, 6, 4))
    hall = RoomFactory(event=event, name="Main Hall")
    working = [
        GroupFactory(event=event, name=f"Working group {n}", is_published=True)
        for n in range(groups)
    ]
    closed = GroupFactory(event=event, name="Caucus", kind=Group.Kind.CLOSED)

    def session(title, hour, **fields):
        starts = datetime(2024, 6, 4, hour, tzinfo=zone)
        return SessionFactory(
            event=event, day=day, room=hall, title_en=title, starts_at=starts,
            ends_at=starts + timedelta(minutes=50), **fields,
        )  # fmt: skip

    session("Plenary", 9)
    group_session = session("Working groups", 10, audience="groups", kind="working_groups")
    group_session.groups.set(working)
    session("Caucus meeting", 11, audience="groups", kind="closed_meeting").groups.add(closed)
    workshop = session("Workshop", 14, signup_required=True)
    cafe = WorldCafeFactory(session=session("World Café", 15, kind="world_cafe"))
    tables = [WorldCafeTableFactory(cafe=cafe, number=n + 1) for n in range(4)]
    for n in range(3):
        SessionDocumentFactory(
            event=event, published_at=datetime(2024, 6, 3, 10 + n, tzinfo=zone),
            access="groups" if n == 2 else "participants",
        ).groups.add(closed)  # fmt: skip

    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"crowd{start + n}", email=f"crowd{start + n}@example.org")
        for n in range(count)
    )
    people = Participant.objects.bulk_create(
        Participant(
            user=user, badge_name=f"Delegate Example {start + n:04}", organisation="Example",
            sector="civil_society", country="CR", preferred_language=("en", "es")[n % 2],
        )
        for n, user in enumerate(users)
    )  # fmt: skip
    registration_type = RegistrationTypeFactory(event=event)
    Registration.objects.bulk_create(
        Registration(participant=p, event=event, type=registration_type, status="approved")
        for p in people
    )
    Membership.objects.bulk_create(
        Membership(participant=p, group=working[n % groups]) for n, p in enumerate(people)
    )
    Membership.objects.bulk_create(
        Membership(participant=p, group=closed) for n, p in enumerate(people) if n % 10 == 0
    )
    SessionSignup.objects.bulk_create(
        SessionSignup(participant=p, session=workshop) for n, p in enumerate(people) if n % 3 == 0
    )
    WorldCafeSeat.objects.bulk_create(
        WorldCafeSeat(cafe=cafe, round_number=r, table=tables[(n + r) % 4], participant=p)
        for n, p in enumerate(people)
        for r in (1, 2)
    )
    return {"event": event, "day": day, "people": people}
