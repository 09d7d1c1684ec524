from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory

from events.models import Event, EventDay, Room, Session, SessionSpeaker, Speaker

ZONE = ZoneInfo("America/Costa_Rica")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        django_get_or_create = ("slug",)
        rename = {"name": "name_en", "venue": "venue_en"}

    name_en = factory.Sequence(lambda n: f"Test Dialogue {n}")
    slug = factory.Sequence(lambda n: f"test-dialogue-{n}")
    start_date = date(2024, 6, 3)
    end_date = date(2024, 6, 7)
    city = "San José"
    country = "CR"
    is_current = False


class EventDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventDay
        django_get_or_create = ("event", "date")

    event = factory.SubFactory(EventFactory)
    date = factory.LazyAttribute(lambda o: o.event.start_date)
    title_en = factory.Sequence(lambda n: f"Day {n}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 40


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Speaker Example {n}")
    organisation = "Example Organisation"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    day = factory.SubFactory(EventDayFactory, event=factory.SelfAttribute("..event"))
    room = factory.SubFactory(RoomFactory, event=factory.SelfAttribute("..event"))
    starts_at = factory.LazyAttribute(
        lambda o: datetime.combine(o.day.date, time(9, 0), tzinfo=ZONE)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    title_en = factory.Sequence(lambda n: f"Session {n}")
    title_es = factory.Sequence(lambda n: f"Sesión {n}")
    kind = Session.Kind.PLENARY
    audience = Session.Audience.PARTICIPANTS


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory, event=factory.SelfAttribute("..session.event"))
    role = SessionSpeaker.Role.SPEAKER
