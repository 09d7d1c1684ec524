from .documents import CategoryFactory, DocumentFactory, DocumentFileFactory
from .events import EventDayFactory, EventFactory, RoomFactory, SessionFactory, SpeakerFactory
from .participants import (
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

__all__ = [
    "CategoryFactory",
    "DocumentFactory",
    "DocumentFileFactory",
    "EventDayFactory",
    "EventFactory",
    "GroupFactory",
    "MembershipFactory",
    "ParticipantFactory",
    "RegistrationFactory",
    "RegistrationTypeFactory",
    "RoomFactory",
    "SessionFactory",
    "SpeakerFactory",
    "UserFactory",
]
