from .announcements import Announcement
from .attendance import CheckIn, ExportLog, SessionSignup
from .groups import Group, Membership, TopicPreference
from .profiles import CountryRegion, Participant, Sector, Subregion
from .registrations import Invitation, Registration, RegistrationChange, RegistrationType
from .worldcafe import WorldCafe, WorldCafeSeat, WorldCafeTable

__all__ = [
    "Announcement",
    "CheckIn",
    "CountryRegion",
    "ExportLog",
    "Group",
    "Invitation",
    "Membership",
    "Participant",
    "Registration",
    "RegistrationChange",
    "RegistrationType",
    "Sector",
    "SessionSignup",
    "Subregion",
    "TopicPreference",
    "WorldCafe",
    "WorldCafeSeat",
    "WorldCafeTable",
]
