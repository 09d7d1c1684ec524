"""Back up and restore one event: its rows and its stored files, in one archive.

The rows are everything that belongs to the event (what deleting it would delete: days,
rooms, sessions, registration types, registrations, groups, documents and their files,
check-ins, …) plus everything those rows point to (the people, their accounts and email
addresses, categories), so that an archive restores into an empty database as well as
over a damaged one. Primary keys are kept: restoring over existing rows updates them.

The archive holds personal data: it is written readable by its owner only.
"""

import io
import json
import os
import tarfile
from collections.abc import Iterable
from pathlib import Path

from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, models, transaction

from .models import Event

ROWS = "rows.json"
MANIFEST = "manifest.json"
FILES = "files/"


def _cascade(event: Event) -> list[models.Model]:
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([event])
    return [obj for objs in collector.data.values() for obj in objs]


def _with_what_they_point_to(objects: Iterable[models.Model]) -> list[models.Model]:
    """The objects, their forward foreign keys' targets, recursively, and each account's
    email addresses (allauth), in a stable order."""
    seen: dict[tuple[str, object], models.Model] = {}
    pending = list(objects)
    while pending:
        obj = pending.pop()
        key = (obj._meta.label, obj.pk)
        if key in seen:
            continue
        seen[key] = obj
        for field in obj._meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one):
                target = getattr(obj, field.name, None)
                if target is not None:
                    pending.append(target)
        if isinstance(obj, get_user_model()):
            pending.extend(obj.emailaddress_set.all())
    return sorted(seen.values(), key=lambda o: (o._meta.label, str(o.pk)))


def _stored_names(objects: Iterable[models.Model]) -> list[str]:
    names = set()
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if isinstance(field, models.FileField):
                name = getattr(obj, field.name).name
                if name:
                    names.add(name)
    return sorted(names)


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup_event(*, event: Event, path: Path) -> dict[str, int]:
    """Write `path` (a .tar.gz): the event's rows and stored files. Returns the counts."""
    objects = _with_what_they_point_to(_cascade(event))
    names = _stored_names(objects)
    missing = [name for name in names if not default_storage.exists(name)]
    manifest = {
        "event": event.slug,
        "rows": len(objects),
        "files": len(names) - len(missing),
        "missing_files": missing,
    }
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as output, tarfile.open(fileobj=output, mode="w:gz") as tar:
        _add(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
        _add(tar, ROWS, serializers.serialize("json", objects).encode())
        for name in names:
            if name not in missing:
                with default_storage.open(name, "rb") as stored:
                    _add(tar, FILES + name, stored.read())
    return {"rows": manifest["rows"], "files": manifest["files"]}


def _safe_member(member: tarfile.TarInfo) -> bool:
    parts = Path(member.name).parts
    return member.isfile() and ".." not in parts and not Path(member.name).is_absolute()


@transaction.atomic
def restore_event(*, path: Path) -> dict[str, int]:
    """Restore an archive written by `backup_event`: rows (inserted or updated, one
    transaction, foreign keys checked at commit) and files (written under their names)."""
    with tarfile.open(path, mode="r:gz") as tar:
        members = {m.name: m for m in tar.getmembers() if _safe_member(m)}
        rows = tar.extractfile(members[ROWS]).read().decode()
        count = 0
        for restored in serializers.deserialize("json", rows):
            restored.save()
            count += 1
        files = 0
        for name, member in members.items():
            if not name.startswith(FILES):
                continue
            stored_name = name[len(FILES) :]
            if default_storage.exists(stored_name):
                default_storage.delete(stored_name)
            saved = default_storage.save(stored_name, ContentFile(tar.extractfile(member).read()))
            if saved != stored_name:
                raise ValueError(f"{stored_name} was stored as {saved}")
            files += 1
    return {"rows": count, "files": files}
