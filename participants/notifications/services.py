"""Notifications to participants: who gets which email, when, and their preferences.

Every email goes through the outbox (`sanjose.outbox.services`). The periodic scans
here (run by Celery beat, see CELERY_BEAT_SCHEDULE) find what is due and not yet sent;
the outbox key (recipient, kind, object, occasion) makes each scan idempotent, so a
late, repeated or concurrent run sends nothing twice. Kinds:

- registration status and invitations: queued by the registration services;
- group published: queued by the group services;
- daily digest (optional): 18:00 event time the evening before each event day;
- session reminder (opt-in): some minutes before each session in my schedule;
- schedule change or cancellation (optional): once a changed session has been quiet for
  a few minutes, to exactly the people whose schedule holds it;
- new material (optional): a published document linked to a session in my schedule.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from events.models import EventDay, Session
from participants.models import Participant
from participants.notifications import selectors
from participants.viewers import viewers_at_event
from sanjose import clock
from sanjose.outbox.models import OutboxMessage, SessionNotice
from sanjose.outbox.services import PreparedEmail, queue_prepared_emails, render_email, render_text

logger = logging.getLogger(__name__)

DAILY_DIGEST = "daily_digest"
SESSION_REMINDER = "session_reminder"
SCHEDULE_CHANGE = "schedule_change"
NEW_MATERIAL = "new_material"
# The kinds a participant may turn off, and the preference that turns each off.
OPTIONAL_KINDS = {
    DAILY_DIGEST: "wants_daily_digest",
    SESSION_REMINDER: "wants_session_reminders",
    SCHEDULE_CHANGE: "wants_schedule_changes",
    NEW_MATERIAL: "wants_new_material",
}
KIND_NAMES = {
    DAILY_DIGEST: _("the daily digest"),
    SESSION_REMINDER: _("session reminders"),
    SCHEDULE_CHANGE: _("schedule changes and cancellations"),
    NEW_MATERIAL: _("new material for my sessions"),
}
DIGEST_HOUR = time(18, 0)
REMINDER_CHOICES = [5, 10, 15, 30, 60]
MAX_REMINDER_MINUTES = max(REMINDER_CHOICES)
# Several edits of a session within this quiet period make one notice.
CHANGE_QUIET_PERIOD = timedelta(minutes=3)
NEW_MATERIAL_LOOKBACK = timedelta(days=2)
DIGEST_BATCH = 500
UNSUBSCRIBE_SALT = "sanjose.notifications.unsubscribe"


# --- Preferences and the signed unsubscribe link ----------------------------------------


def unsubscribe_token(*, participant_id: int, kind: str) -> str:
    return signing.dumps({"p": participant_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, participant_id: int, kind: str) -> str:
    token = unsubscribe_token(participant_id=participant_id, kind=kind)
    return settings.SITE_URL + reverse("participants:unsubscribe", args=[token])


def read_unsubscribe_token(*, token: str) -> tuple[Participant, str] | None:
    """The participant and kind a link was signed for; None when forged or stale."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in OPTIONAL_KINDS:
        return None
    participant = Participant.objects.filter(pk=data.get("p")).first()
    return (participant, data["k"]) if participant else None


@transaction.atomic
def unsubscribe(*, participant: Participant, kind: str) -> None:
    """Turn off one optional kind of email for this participant. Sends nothing."""
    field = OPTIONAL_KINDS[kind]
    Participant.objects.filter(pk=participant.pk).update(**{field: False})
    setattr(participant, field, False)


@transaction.atomic
def update_notification_preferences(
    *,
    participant: Participant,
    wants_daily_digest: bool,
    wants_session_reminders: bool,
    reminder_minutes_before: int,
    wants_schedule_changes: bool,
    wants_new_material: bool,
) -> Participant:
    """Save which optional emails the participant wants. Sends nothing."""
    if reminder_minutes_before not in REMINDER_CHOICES:
        raise ValueError(f"reminder_minutes_before must be one of {REMINDER_CHOICES}")
    participant.wants_daily_digest = wants_daily_digest
    participant.wants_session_reminders = wants_session_reminders
    participant.reminder_minutes_before = reminder_minutes_before
    participant.wants_schedule_changes = wants_schedule_changes
    participant.wants_new_material = wants_new_material
    participant.save(update_fields=[*OPTIONAL_KINDS.values(), "reminder_minutes_before"])
    return participant


# --- Building emails ---------------------------------------------------------------------


def prepare(
    *,
    participant: Participant,
    kind: str,
    object_key: str,
    template: str,
    context: dict,
    occasion: str = "",
) -> PreparedEmail:
    """Render one optional email for a participant, in their language, with their
    signed unsubscribe link."""
    link = unsubscribe_url(participant_id=participant.pk, kind=kind)
    language = participant.preferred_language or settings.LANGUAGE_CODE
    subject, body_text, body_html = render_email(
        template=template,
        context={**context, "participant": participant},
        language=language,
        unsubscribe_url=link,
    )
    return PreparedEmail(
        recipient=participant.user.email,
        kind=kind,
        object_key=object_key,
        occasion=occasion,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        user_id=participant.user_id,
        unsubscribe_url=link,
    )


def already_queued(*, kind: str, object_keys: set[str]) -> set[tuple[str, str, str]]:
    """(recipient, object, occasion) of what is already in the outbox, so a scan does
    not render again what it queued on its last run."""
    return set(
        OutboxMessage.objects.filter(kind=kind, object_key__in=object_keys).values_list(
            "recipient", "object_key", "occasion"
        )
    )


# --- Daily digest --------------------------------------------------------------------------


def digest_window(*, day: EventDay) -> tuple[datetime, datetime]:
    """From 18:00 event time the evening before the day until that day begins."""
    zone = day.event.zone
    due = datetime.combine(day.date - timedelta(days=1), DIGEST_HOUR, tzinfo=zone)
    return due, datetime.combine(day.date, time(0, 0), tzinfo=zone)


def digest_days_due(*, now: datetime) -> list[EventDay]:
    """Event days whose digest is due now."""
    dates = [(now + timedelta(days=offset)).date() for offset in (-1, 0, 1, 2)]
    days = EventDay.objects.filter(date__in=dates).select_related("event")
    return [day for day in days if digest_window(day=day)[0] <= now < digest_window(day=day)[1]]


class SessionRows:
    """Each session's lines in an email, rendered once per language and reused for every
    person whose digest lists it (most of a digest's rendering time otherwise)."""

    def __init__(self):
        self.rendered: dict[tuple[int, str], tuple[str, str]] = {}

    def __call__(self, session: Session, language: str) -> tuple[str, str]:
        key = (session.pk, language)
        if key not in self.rendered:
            context = {"session": session, "site_url": settings.SITE_URL}
            with translation.override(language):
                self.rendered[key] = (
                    render_text("emails/_session.txt", context).strip(),
                    mark_safe(render_to_string("emails/_session.html", context)),  # noqa: S308
                )
        return self.rendered[key]


def prepare_daily_digests(*, day: EventDay, limit: int | None = None) -> list[PreparedEmail]:
    """Render the day's digest for up to `limit` approved participants who want it and
    have not had it yet: their sessions that day (times in event time, rooms), their
    groups, their World Café tables, and the documents published since the last digest
    that they may see. A fixed number of queries, whatever the number of participants."""
    event_id = day.event_id
    object_key = f"day:{day.pk}"
    people = list(
        selectors.notified_participants(
            event_id=event_id, wants=OPTIONAL_KINDS[DAILY_DIGEST]
        ).exclude(
            user__email__in=OutboxMessage.objects.filter(
                kind=DAILY_DIGEST, object_key=object_key
            ).values("recipient")
        )[:limit]
    )
    if not people:
        return []
    sessions = selectors.day_sessions(event_id=event_id, day_id=day.pk)
    viewers = viewers_at_event(event_id=event_id, participant_ids=[p.pk for p in people])
    audiences = selectors.session_audiences(
        event_id=event_id, sessions=sessions, participant_ids=list(viewers), viewers=viewers
    )
    groups = selectors.groups_by_participant(event_id=event_id)
    seats = selectors.cafe_seats_by_participant(session_ids=[s.pk for s in sessions])
    due, _until = digest_window(day=day)
    documents = selectors.DocumentsForViewers(
        documents=selectors.documents_published_between(
            event_id=event_id, since=due - timedelta(days=1), until=due
        ),
        event_id=event_id,
        viewers=viewers,
    )
    rows = SessionRows()
    emails = []
    for participant in people:
        language = participant.preferred_language
        context = {
            "event": day.event,
            "day": day,
            "session_rows": [
                rows(s, language) for s in sessions if participant.pk in audiences[s.pk]
            ],
            "groups": groups.get(participant.pk, []),
            "seats": sorted(seats.get(participant.pk, []), key=lambda seat: seat.round_number),
            "documents": documents.for_participant(participant),
        }
        emails.append(
            prepare(
                participant=participant,
                kind=DAILY_DIGEST,
                object_key=object_key,
                template="daily_digest",
                context=context,
            )
        )
    return emails


def queue_daily_digests() -> int:
    """Queue the digests that are due now (periodic), DIGEST_BATCH people per transaction:
    a run stopped by its time limit keeps what it queued and the next run goes on from
    there. Returns how many were queued."""
    queued = 0
    for day in digest_days_due(now=clock.now()):
        while emails := prepare_daily_digests(day=day, limit=DIGEST_BATCH):
            queued += queue_prepared_emails(emails=emails, bulk=True)
    return queued


# --- Session reminders ---------------------------------------------------------------------


def queue_session_reminders() -> int:
    """Queue a reminder for each person who opted in, once their chosen number of
    minutes before a session in their schedule has come (periodic)."""
    now = clock.now()
    upcoming = list(
        Session.objects.active()
        .filter(starts_at__gt=now, starts_at__lte=now + timedelta(minutes=MAX_REMINDER_MINUTES))
        .select_related("room", "day", "event")
    )
    emails: list[PreparedEmail] = []
    for sessions, people, audiences in audiences_by_event(upcoming, kind=SESSION_REMINDER):
        done = already_queued(
            kind=SESSION_REMINDER, object_keys={f"session:{s.pk}" for s in sessions}
        )
        for session in sessions:
            key, occasion = f"session:{session.pk}", session.starts_at.isoformat()
            for participant_id in sorted(audiences[session.pk]):
                participant = people[participant_id]
                due = session.starts_at - timedelta(minutes=participant.reminder_minutes_before)
                if now < due or (participant.user.email, key, occasion) in done:
                    continue
                emails.append(
                    prepare(
                        participant=participant,
                        kind=SESSION_REMINDER,
                        object_key=key,
                        occasion=occasion,
                        template="session_reminder",
                        context={"session": session, "event": session.event},
                    )
                )
    return queue_prepared_emails(emails=emails)


def audiences_by_event(sessions: list[Session], *, kind: str):
    """Event by event: the sessions, the people who want `kind` (by pk), and for each
    session the pks of those whose schedule holds it. A fixed number of queries per event."""
    for event_id in sorted({session.event_id for session in sessions}):
        of_event = [s for s in sessions if s.event_id == event_id]
        people = {
            p.pk: p
            for p in selectors.notified_participants(event_id=event_id, wants=OPTIONAL_KINDS[kind])
        }
        audiences = selectors.session_audiences(
            event_id=event_id, sessions=of_event, participant_ids=people
        )
        yield of_event, people, audiences


# --- Schedule changes and cancellations ----------------------------------------------------


@transaction.atomic
def notify_schedule_changes() -> int:
    """Notify the people whose schedule holds a session that changed (periodic).

    The agenda bumps `Session.sequence` on every change participants can see. A session
    is notified once it has been quiet for CHANGE_QUIET_PERIOD, so several edits in a
    row make one notice; the notice's key carries the sequence, so a change is notified
    once. The first time a session is seen, its sequence is the starting point.
    """
    now = clock.now()
    sessions = list(Session.objects.filter(ends_at__gt=now).select_related("room", "day", "event"))
    notices = {
        notice.session_id: notice
        for notice in SessionNotice.objects.select_for_update().filter(
            session_id__in=[s.pk for s in sessions]
        )
    }
    new = [
        SessionNotice(
            session=s, notified_sequence=s.sequence, seen_sequence=s.sequence, seen_at=now
        )
        for s in sessions
        if s.pk not in notices
    ]
    SessionNotice.objects.bulk_create(new, ignore_conflicts=True)
    due: list[Session] = []
    for session in sessions:
        notice = notices.get(session.pk)
        if notice is None:
            continue
        if session.sequence != notice.seen_sequence:
            notice.seen_sequence, notice.seen_at = session.sequence, now
            notice.save(update_fields=["seen_sequence", "seen_at"])
        elif notice.seen_sequence > notice.notified_sequence and (
            now - notice.seen_at >= CHANGE_QUIET_PERIOD
        ):
            due.append(session)
            notice.notified_sequence = notice.seen_sequence
            notice.save(update_fields=["notified_sequence"])
    return queue_prepared_emails(emails=prepare_change_notices(sessions=due))


def prepare_change_notices(*, sessions: list[Session]) -> list[PreparedEmail]:
    emails: list[PreparedEmail] = []
    for of_event, people, audiences in audiences_by_event(sessions, kind=SCHEDULE_CHANGE):
        for session in of_event:
            for participant_id in sorted(audiences[session.pk]):
                emails.append(
                    prepare(
                        participant=people[participant_id],
                        kind=SCHEDULE_CHANGE,
                        object_key=f"session:{session.pk}",
                        occasion=f"sequence:{session.sequence}",
                        template="schedule_change",
                        context={"session": session, "event": session.event},
                    )
                )
    return emails


# --- New material for my session -----------------------------------------------------------


def notify_new_material() -> int:
    """Tell the people whose schedule holds a session about a document newly published
    for it, if they may see the document (periodic)."""
    now = clock.now()
    emails: list[PreparedEmail] = []
    documents = list(
        Document.objects.published()
        .filter(published_at__gte=now - NEW_MATERIAL_LOOKBACK, published_at__lte=now)
        .filter(sessions__isnull=False)
        .distinct()
        .prefetch_related("sessions__room", "sessions__day")
    )
    for event_id in {document.event_id for document in documents}:
        of_event = [d for d in documents if d.event_id == event_id]
        emails += prepare_new_material(event_id=event_id, documents=of_event)
    return queue_prepared_emails(emails=emails)


def prepare_new_material(*, event_id: int, documents: list) -> list[PreparedEmail]:
    people = {
        p.pk: p
        for p in selectors.notified_participants(
            event_id=event_id, wants=OPTIONAL_KINDS[NEW_MATERIAL]
        )
    }
    sessions = {s.pk: s for d in documents for s in d.sessions.all()}
    viewers = viewers_at_event(event_id=event_id, participant_ids=people)
    audiences = selectors.session_audiences(
        event_id=event_id, sessions=sessions.values(), participant_ids=people, viewers=viewers
    )
    visible = selectors.DocumentsForViewers(
        documents=Document.objects.filter(pk__in=[d.pk for d in documents]),
        event_id=event_id,
        viewers=viewers,
    )
    done = already_queued(kind=NEW_MATERIAL, object_keys={f"document:{d.pk}" for d in documents})
    emails = []
    for document in documents:
        key = f"document:{document.pk}"
        concerned = set().union(*(audiences[s.pk] for s in document.sessions.all()))
        for participant_id in sorted(concerned):
            participant = people[participant_id]
            if (participant.user.email, key, "") in done:
                continue
            if document.pk not in {d.pk for d in visible.for_participant(participant)}:
                continue
            my_sessions = [s for s in document.sessions.all() if participant_id in audiences[s.pk]]
            emails.append(
                prepare(
                    participant=participant,
                    kind=NEW_MATERIAL,
                    object_key=key,
                    template="new_material",
                    context={"document": document, "sessions": my_sessions},
                )
            )
    return emails
