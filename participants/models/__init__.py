from .announcements import Announcement
from .attendance import CheckIn, ExportLog, SessionSignup
from .certificates import Certificate, CertificateKind, CertificateTemplate, LetterRequest
from .feedback import FeedbackAnswer, FeedbackReceipt
from .groups import Group, Membership, TopicPreference
from .jobs import BulkJob
from .profiles import ConsentRecord, CountryRegion, Participant, Sector, Subregion
from .registrations import (
    AnonymousCount,
    Invitation,
    Registration,
    RegistrationChange,
    RegistrationType,
)
from .worldcafe import WorldCafe, WorldCafeSeat, WorldCafeTable

__all__ = [
    "Announcement",
    "AnonymousCount",
    "BulkJob",
    "Certificate",
    "CertificateKind",
    "CertificateTemplate",
    "CheckIn",
    "ConsentRecord",
    "CountryRegion",
    "ExportLog",
    "FeedbackAnswer",
    "FeedbackReceipt",
    "Group",
    "Invitation",
    "LetterRequest",
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
