"""The models of the `participants` app, one module per feature.

Django looks for an app's models in `participants.models`: this module imports
each feature's, so the app label (and every table and migration) stays
`participants`. Code outside a feature imports models from here.
"""

from participants.announcements.models import Announcement
from participants.audit.models import ExportLog
from participants.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateTemplate,
    LetterRequest,
)
from participants.desk.models import CheckIn
from participants.feedback.models import FeedbackAnswer, FeedbackReceipt
from participants.groups.models import (
    Group,
    Membership,
    TopicPreference,
    WorldCafe,
    WorldCafeSeat,
    WorldCafeTable,
)
from participants.jobs.models import BulkJob
from participants.registration.models import (
    AnonymousCount,
    ConsentRecord,
    CountryRegion,
    Invitation,
    Participant,
    Registration,
    RegistrationChange,
    RegistrationType,
    Sector,
    Subregion,
)
from participants.signups.models import SessionSignup

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
