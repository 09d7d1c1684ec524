"""The audit log of personal data: exports (see `exports.log_export`) and admin changes.

An entry says who, when, which record and which fields: the names of the fields, never
their values (a dietary need or a password does not belong in a log). Organisers read
it in the admin (participants.view_exportlog), nobody can change it there.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from participants.models import ExportLog
from sanjose import clock


@transaction.atomic
def record_admin_change(
    *,
    user: AbstractBaseUser,
    instance: models.Model,
    action: str,
    fields: Iterable[str] = (),
) -> ExportLog:
    """One entry for `user` adding, changing or deleting `instance` (ExportLog.Action),
    naming the changed fields. Writes one row; sends nothing."""
    return ExportLog.objects.create(
        user=user,
        at=clock.now(),
        action=action,
        kind=instance._meta.label_lower,
        object_id=str(instance.pk),
        fields=sorted(set(fields)),
    )


@transaction.atomic
def record_admin_changes(
    *, user: AbstractBaseUser, instances: Iterable[models.Model], action: str, fields=()
) -> int:
    """The same entry for several records at once (bulk actions); returns how many."""
    now, names = clock.now(), sorted(set(fields))
    entries = [
        ExportLog(
            user=user,
            at=now,
            action=action,
            kind=instance._meta.label_lower,
            object_id=str(instance.pk),
            fields=names,
        )
        for instance in instances
    ]
    ExportLog.objects.bulk_create(entries)
    return len(entries)
