"""What the demo shows, as plain data: the key tables after `load_demo`, with times as the
event's local clock and days as offsets from its first day, so two loads compare equal
when the visible demo is the same (`tests/sanjose/demo_snapshot.json` holds the one
recorded before the demo became data; `manage.py shell -c "from tests.sanjose.demo_snapshot
import print_snapshot; print_snapshot()"` prints the current one)."""

import json
from pathlib import Path

from documents.models import Document
from events.models import Event, SessionSpeaker
from participants.models import (
    Announcement,
    CheckIn,
    FeedbackAnswer,
    Group,
    Invitation,
    LetterRequest,
    Membership,
    Participant,
    Registration,
    RegistrationType,
    SessionSignup,
    TopicPreference,
    WorldCafe,
    WorldCafeSeat,
)

RECORDED = Path(__file__).with_name("demo_snapshot.json")


def demo_snapshot() -> dict:
    event = Event.objects.get(is_current=True)
    return {
        "event": _event(event),
        "sessions": _sessions(event),
        "speakers": _speakers(event),
        "registration_types": _types(event),
        "registrations": _registrations(event),
        "invitations": sorted(
            [i.email, i.name, i.organisation, i.type.slug]
            for i in Invitation.objects.filter(event=event).select_related("type")
        ),
        "groups": _groups(event),
        "topic_preferences": TopicPreference.objects.filter(group__event=event).count(),
        "world_cafe": _world_cafe(event),
        "check_ins": CheckIn.objects.filter(registration__event=event).count(),
        "announcements": sorted(
            [a.title_en, a.title_es, a.audience, getattr(a.registration_type, "slug", "")]
            for a in Announcement.objects.published().filter(event=event)
        ),
        "documents": _documents(event),
        "directory_listed": Participant.objects.filter(directory_listed_at__isnull=False).count(),
        "feedback_answers": FeedbackAnswer.objects.filter(event=event).count(),
        "letter_requests": LetterRequest.objects.filter(registration__event=event).count(),
    }


def _event(event: Event) -> dict:
    return {
        "name_en": event.name_en,
        "name_es": event.name_es,
        "length_days": (event.end_date - event.start_date).days + 1,
        "days": [
            [(d.date - event.start_date).days, d.title_en, d.title_es, d.is_public]
            for d in event.days.order_by("date")
        ],
        "rooms": [[r.name, r.capacity, r.position] for r in event.rooms.order_by("position")],
        "past_events": sorted(
            [e.slug, e.name, e.start_date.isoformat()] for e in Event.objects.exclude(pk=event.pk)
        ),
    }


def _local(event: Event, moment) -> str:
    local = moment.astimezone(event.zone)
    return f"{(local.date() - event.start_date).days} {local:%H:%M}"


def _sessions(event: Event) -> list:
    sessions = event.sessions.select_related("room").prefetch_related("groups")
    rows = []
    for s in sessions:
        confirmed = s.signups.filter(status=SessionSignup.Status.CONFIRMED)
        rows.append(
            [
                _local(event, s.starts_at),
                _local(event, s.ends_at),
                s.title_en,
                s.title_es,
                s.room.name if s.room else None,
                s.kind,
                s.audience,
                s.capacity,
                s.signup_required,
                s.signup_count,
                sorted(confirmed.values_list("participant__user__username", flat=True)),
                sorted(g.name_en for g in s.groups.all()),
                len(s.description_en),
                len(s.description_es),
            ]
        )
    return sorted(rows)


def _speakers(event: Event) -> list:
    speakers = [
        [s.name, s.organisation, s.bio_en, s.photo_consent, bool(s.photo)]
        for s in event.speakers.all()
    ]
    links = [
        [ss.session.title_en, ss.speaker.name, ss.role, ss.position]
        for ss in SessionSpeaker.objects.filter(session__event=event).select_related(
            "session", "speaker"
        )
    ]
    return [sorted(speakers), sorted(links)]


def _types(event: Event) -> list:
    return sorted(
        [
            t.slug,
            t.name_en,
            t.is_public,
            t.grants_participant_access,
            t.capacity,
            t.approved_count,
            t.position,
            t.days.count(),
        ]
        for t in RegistrationType.objects.filter(event=event)
    )


def _registrations(event: Event) -> list:
    return sorted(
        [r.participant.user.username, r.participant.badge_name, r.type.slug, r.status]
        for r in Registration.objects.filter(event=event).select_related(
            "participant__user", "type"
        )
    )


def _groups(event: Event) -> list:
    rows = []
    for g in Group.objects.filter(event=event).select_related("room", "facilitator__user"):
        members = Membership.objects.filter(group=g).select_related("participant__user")
        rows.append(
            [
                g.name_en,
                g.name_es,
                g.kind,
                g.room.name if g.room else None,
                g.capacity,
                g.facilitator.user.username if g.facilitator else None,
                sorted([m.participant.user.username, m.role] for m in members),
            ]
        )
    return sorted(rows)


def _world_cafe(event: Event) -> dict:
    cafe = WorldCafe.objects.filter(session__event=event).first()
    if cafe is None:
        return {}
    return {
        "rounds": cafe.rounds,
        "tables": [
            [t.number, t.topic_en, t.host.user.username if t.host else None]
            for t in cafe.tables.order_by("number").select_related("host__user")
        ],
        "seats": WorldCafeSeat.objects.filter(cafe=cafe).count(),
    }


def _documents(event: Event) -> list:
    rows = []
    for d in Document.objects.filter(event=event).prefetch_related("sessions", "groups", "files"):
        rows.append(
            [
                d.title_en,
                d.title_es,
                d.category.slug if d.category else None,
                d.access,
                d.is_published,
                sorted(s.title_en for s in d.sessions.all()),
                sorted(g.name_en for g in d.groups.all()),
                sorted(f.language for f in d.files.all()),
            ]
        )
    return sorted(rows)


def print_snapshot() -> None:
    print(json.dumps(demo_snapshot(), indent=1, ensure_ascii=False, sort_keys=True))
