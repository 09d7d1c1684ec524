from .events import (
    EventDayFactory,
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)
from .participants import (
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
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
    "SessionSpeakerFactory",
    "SpeakerFactory",
    "UserFactory",
]
