from .events import EventDayFactory, EventFactory, RoomFactory, SessionFactory, SpeakerFactory
from .participants import (
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    TopicPreferenceFactory,
    UserFactory,
    WorldCafeFactory,
    WorldCafeTableFactory,
)

__all__ = [
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
    "TopicPreferenceFactory",
    "UserFactory",
    "WorldCafeFactory",
    "WorldCafeTableFactory",
]
