"""Personal data of an event is anonymised PERSONAL_DATA_RETENTION_MONTHS after it ends.

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
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from documents.models import Document
from events.models import Event, Speaker
from participants.models import (
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
from participants.services.privacy import count_anonymously
from sanjose import clock
from sanjose.outbox.models import OutboxMessage


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
        if months_after(event.end_date, months)
        < moment.astimezone(ZoneInfo(event.time_zone)).date()
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
