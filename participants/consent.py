"""The versions of the texts a participant agrees to. Raise a version when its text
changes: everyone is asked to agree again on their next visit to the profile."""

PRIVACY_NOTICE_VERSION = "2024-05"
CODE_OF_CONDUCT_VERSION = "2024-05"
