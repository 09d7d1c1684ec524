"""The participants admin: Django's autodiscovery imports `participants.admin`, which
imports each feature's admin module (they register their model admins).
"""

import participants.accounts.admin  # noqa: F401
import participants.announcements.admin  # noqa: F401
import participants.audit.admin  # noqa: F401
import participants.certificates.admin  # noqa: F401
import participants.desk.admin  # noqa: F401
import participants.groups.admin  # noqa: F401
import participants.jobs.admin  # noqa: F401
import participants.registration.admin  # noqa: F401
import participants.signups.admin  # noqa: F401
