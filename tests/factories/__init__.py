from .documents import CategoryFactory, DocumentFactory, DocumentFileFactory
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
    InvitationFactory,
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
    "CategoryFactory",
    "DocumentFactory",
    "DocumentFileFactory",
    "EventDayFactory",
    "EventFactory",
    "GroupFactory",
    "InvitationFactory",
    "MembershipFactory",
    "ParticipantFactory",
    "RegistrationFactory",
    "RegistrationTypeFactory",
    "RoomFactory",
    "SessionFactory",
    "SessionSpeakerFactory",
    "SpeakerFactory",
    "TopicPreferenceFactory",
    "UserFactory",
    "WorldCafeFactory",
    "WorldCafeTableFactory",
]
