"""A person's own data: everything the site holds about them (export), and its erasure.

Both walk the same map (participants.privacy.selectors), so a model added later
with a path to the user is exported and erased without being listed here.

Personal data of an event is anonymised PERSONAL_DATA_RETENTION_MONTHS after it ends.

What goes, for each event past that time: its registrations (each leaves an anonymous
count first: type, final status, sector, sub-region, checked in or not) with their
check-ins and history, its invitations, group memberships and topic preferences,
World Café seats, session sign-ups, the emails about any of these, and the links from
its groups, tables and speakers to people, its certificates, letters and letter requests
(passport name and nationality). A person left with no registration at all
also loses the event-specific parts of the profile (accessibility and dietary needs, the
badge photo); the account itself stays theirs, to delete or to use for the next event.
"""

import calendar
import json
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Q

from documents.models import Document
from events.models import Event, Speaker
from participants.models import (
    AnonymousCount,
    Certificate,
    CheckIn,
    FeedbackAnswer,
    FeedbackReceipt,
    Group,
    Invitation,
    LetterRequest,
    Membership,
    Participant,
    Registration,
    RegistrationType,
    SessionSignup,
    TopicPreference,
    WorldCafeSeat,
    WorldCafeTable,
)
from participants.privacy.selectors import ADDRESSED, MENTIONS, OWNED, personal_rows
from participants.registration.services.registration import withdraw_for_erasure
from sanjose import clock
from sanjose.access import forget_viewer
from sanjose.outbox.models import OutboxMessage

EXPORT_FORMAT = "san-jose-dialogue-personal-data/1"
WITHHELD = "[withheld: secret]"
# Secrets are never exported: passwords, one-time links and keys, email bodies (which
# can carry such links), session keys and two-factor secrets.
SECRET_FIELD_NAMES = {
    "password",
    "key",
    "session_key",
    "token",
    "body_text",
    "body_html",
    "unsubscribe_url",
}
SECRET_FIELD_PARTS = ("token", "secret")
SECRET_FIELDS_OF = {"mfa.authenticator": {"data"}, "usersessions.usersession": {"data"}}
# Rows that only mention the person (the relation is set to NULL when they go) but whose
# other fields describe them too: erased with the person rather than kept unlinked.
ERASED_WHEN_MENTIONED = {"events.speaker", "outbox.outboxmessage"}


def _is_secret(model, name: str) -> bool:
    return (
        name in SECRET_FIELD_NAMES
        or any(part in name for part in SECRET_FIELD_PARTS)
        or name in SECRET_FIELDS_OF.get(model._meta.label_lower, set())
    )


def _value(row, field):
    value = getattr(row, field.attname)
    if isinstance(field, models.FileField):
        return value.name or ""
    if hasattr(value, "code"):  # a country
        return value.code
    return value


def _serialise(row) -> dict:
    model = type(row)
    return {
        f.name: (WITHHELD if _is_secret(model, f.name) else _value(row, f))
        for f in model._meta.concrete_fields
    }


def export_personal_data(*, user) -> dict:
    """Everything the database holds about `user`, as JSON-ready data: every row they
    own or are addressed by (secrets withheld), the rows that merely mention them (by id
    and relation), and the admin history of changes to their rows. Changes nothing."""
    rows = personal_rows(user)
    data: dict = {}
    mentions: dict = {}
    for model, kinds in sorted(rows.items(), key=lambda item: item[0]._meta.label_lower):
        label = model._meta.label_lower
        full = kinds.get(OWNED, set()) | kinds.get(ADDRESSED, set())
        if full:
            data[label] = {
                "description": str(model._meta.verbose_name_plural),
                "rows": [_serialise(r) for r in model._default_manager.filter(pk__in=full)],
            }
        if kinds.get(MENTIONS):
            mentions[label] = sorted(kinds[MENTIONS])
    return {
        "format": EXPORT_FORMAT,
        "generated_at": clock.now(),
        "account": user.email,
        "data": data,
        "mentioned_in": mentions,
        "admin_changes": _admin_changes(rows),
    }


def export_as_json(*, user) -> str:
    """The export as a JSON document (UTF-8 text, dates in ISO 8601)."""
    payload = export_personal_data(user=user)
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _about_rows(rows) -> Q:
    """The admin log entries about the person's own rows (a generic relation)."""
    condition = Q(pk__in=[])
    for model, kinds in rows.items():
        owned = kinds.get(OWNED) or kinds.get(ADDRESSED)
        if owned:
            content_type = ContentType.objects.get_for_model(model)
            condition |= Q(content_type=content_type, object_id__in=[str(pk) for pk in owned])
    return condition


def _admin_changes(rows) -> list[dict]:
    entries = LogEntry.objects.filter(_about_rows(rows)).order_by("action_time")
    return [
        {
            "at": e.action_time,
            "action": e.get_action_flag_display(),
            "what": e.content_type.model if e.content_type else "",
            "change": e.get_change_message(),
        }
        for e in entries.select_related("content_type")
    ]


# --- Erasure -----------------------------------------------------------------------------


@dataclass
class ErasureReport:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    sessions: int = 0


def count_anonymously(*, registration: Registration) -> None:
    """Add one to the anonymous count the registration falls in (type, final status,
    sector, sub-region, checked in or not). Nothing of the person is kept."""
    participant = registration.participant
    attended = CheckIn.objects.filter(registration=registration).exists()
    key = {
        "event_id": registration.event_id,
        "registration_type_id": registration.type_id,
        "status": registration.status,
        "sector": participant.sector,
        "subregion": participant.subregion,
        "attended": attended,
    }
    counted, _ = AnonymousCount.objects.get_or_create(**key)
    AnonymousCount.objects.filter(pk=counted.pk).update(count=F("count") + 1)


def _files_of(model, pks) -> list[tuple]:
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    found = []
    for row in model._default_manager.filter(pk__in=pks).only("pk", *[f.name for f in file_fields]):
        for f in file_fields:
            stored = getattr(row, f.name)
            if stored:
                found.append((stored.storage, stored.name))
    return found


def end_sessions(*, user, keep_session_key: str | None = None) -> int:
    """End every tracked session of `user` but `keep_session_key`: the session data is
    deleted, so those browsers are signed out at their next request. Returns how many."""
    if not apps.is_installed("allauth.usersessions"):
        return 0
    UserSession = apps.get_model("usersessions", "UserSession")
    ended = 0
    for session in UserSession.objects.filter(user_id=user.pk).exclude(
        session_key=keep_session_key or ""
    ):
        session.end()
        ended += 1
    return ended


@transaction.atomic
def erase_account(*, user, by=None) -> ErasureReport:
    """Delete the account of `user` and every personal row, on their request or a staff
    member's (`by`). Registrations first keep the counters true (withdraw_for_erasure:
    places freed, the waitlist moves up) and leave one anonymous count each; files
    (photos) are deleted from storage once committed; the admin history of their rows
    keeps no name; their sessions end. Sends only "promoted" emails to others."""
    participant = Participant.objects.filter(user=user).first()
    if participant is not None:
        for registration in Registration.objects.filter(participant=participant):
            registration = withdraw_for_erasure(registration=registration, by=None)
            count_anonymously(registration=registration)
    report = ErasureReport(sessions=end_sessions(user=user))
    rows = personal_rows(user)
    LogEntry.objects.filter(_about_rows(rows)).update(object_repr="")
    files = []
    for model, kinds in rows.items():
        gone = set(kinds.get(OWNED, set())) | kinds.get(ADDRESSED, set())
        if model._meta.label_lower in ERASED_WHEN_MENTIONED:
            gone |= kinds.get(MENTIONS, set())
        files += _files_of(model, gone)
        report.rows[model._meta.label_lower] = len(gone)
        extra = gone - kinds.get(OWNED, set())
        if extra:
            model._default_manager.filter(pk__in=extra).delete()
    forget_viewer(user)
    user.delete()
    report.files = len(files)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return report


def months_after(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def events_due(*, now=None) -> list[Event]:
    """Events whose last day is more than PERSONAL_DATA_RETENTION_MONTHS ago."""
    moment = now or clock.now()
    months = settings.PERSONAL_DATA_RETENTION_MONTHS
    return [
        event
        for event in Event.objects.order_by("end_date")
        if months_after(event.end_date, months) < moment.astimezone(event.zone).date()
    ]


def _scope(event: Event) -> dict:
    registrations = Registration.objects.filter(event=event)
    keys = (
        [f"registration:{pk}" for pk in registrations.values_list("pk", flat=True)]
        + [
            f"invitation:{pk}"
            for pk in Invitation.objects.filter(event=event).values_list("pk", flat=True)
        ]
        + [f"group:{pk}" for pk in Group.objects.filter(event=event).values_list("pk", flat=True)]
        + [f"event:{event.pk}"]
        + [f"day:{pk}" for pk in event.days.values_list("pk", flat=True)]
        + [f"session:{pk}" for pk in event.sessions.values_list("pk", flat=True)]
        + [
            f"document:{pk}"
            for pk in Document.objects.filter(event=event).values_list("pk", flat=True)
        ]
    )
    people = registrations.values("participant_id")
    leaving = Participant.objects.filter(pk__in=people).exclude(
        pk__in=Registration.objects.exclude(event=event).values("participant_id")
    )
    return {
        "registrations": registrations,
        "check-ins": CheckIn.objects.filter(registration__event=event),
        "invitations": Invitation.objects.filter(event=event),
        "group memberships": Membership.objects.filter(group__event=event),
        "topic preferences": TopicPreference.objects.filter(group__event=event),
        "World Café seats": WorldCafeSeat.objects.filter(cafe__session__event=event),
        "session sign-ups": SessionSignup.objects.filter(session__event=event),
        "certificates and letters": Certificate.objects.filter(registration__event=event),
        "invitation letter requests": LetterRequest.objects.filter(registration__event=event),
        "feedback given": FeedbackReceipt.objects.filter(event=event),
        "named feedback": FeedbackAnswer.objects.filter(event=event, participant__isnull=False),
        "emails": OutboxMessage.objects.filter(object_key__in=keys),
        "facilitators": Group.objects.filter(event=event, facilitator__isnull=False),
        "table hosts": WorldCafeTable.objects.filter(
            cafe__session__event=event, host__isnull=False
        ),
        "speaker links": Speaker.objects.filter(event=event, participant__isnull=False),
        "profiles cleared": leaving.filter(
            ~Q(accessibility_needs="")
            | ~Q(dietary_needs="")
            | ~Q(photo="")
            | Q(directory_listed_at__isnull=False)
            | ~Q(directory_bio="")
            | ~Q(directory_contact="")
        ),
    }


def plan_event_anonymisation(*, event: Event) -> dict[str, int]:
    """How many rows of each kind anonymising `event` would remove or unlink. Changes nothing."""
    return {label: queryset.count() for label, queryset in _scope(event).items()}


@transaction.atomic
def anonymise_event(*, event: Event) -> dict[str, int]:
    """Anonymise the personal data of `event` (see the module docstring): counts first,
    then deletions and unlinking; approved counters go back to what remains (none);
    photo files are deleted once committed. Returns what was done, as the plan. Sends
    nothing."""
    scope = _scope(event)
    done = {label: queryset.count() for label, queryset in scope.items()}
    for registration in scope["registrations"].select_related("participant"):
        count_anonymously(registration=registration)
    photos = [(p.photo.storage, p.photo.name) for p in scope["profiles cleared"] if p.photo]
    scope["profiles cleared"].update(
        accessibility_needs="",
        dietary_needs="",
        photo="",
        directory_listed_at=None,
        directory_bio="",
        directory_contact="",
    )
    scope["emails"].delete()
    for label in (
        "group memberships",
        "topic preferences",
        "World Café seats",
        "session sign-ups",
        "certificates and letters",
        "invitation letter requests",
        "feedback given",
    ):
        scope[label].delete()
    scope["named feedback"].update(participant=None)
    scope["facilitators"].update(facilitator=None)
    scope["table hosts"].update(host=None)
    scope["speaker links"].update(participant=None)
    scope["registrations"].delete()
    scope["invitations"].delete()
    RegistrationType.objects.filter(event=event).update(approved_count=0)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in photos])
    return done


def anonymise_due_events(*, now=None) -> dict[str, dict[str, int]]:
    """Anonymise every event past its retention time; idempotent (a second run finds
    nothing left). Returns, by event slug, what was done."""
    return {
        event.slug: anonymise_event(event=event)
        for event in events_due(now=now)
        if any(plan_event_anonymisation(event=event).values())
    }
