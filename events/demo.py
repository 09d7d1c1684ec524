"""The San José Dialogue's programme for `load_demo`, laid from `demo/programme.toml`
through the agenda's services: `save_event`, `save_day`, `save_room`, `save_speaker` and
`save_session` (which refuses a day or room of another event and a room booked twice).

Laid from any first day (`load_demo --start`), so a rehearsal runs against an event that
is about to happen. Idempotent: re-running updates, never duplicates (a session is found
again by its day, start and English title).
"""

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageDraw

from sanjose import demodata

from .models import Event, EventDay, Room, Session, SessionSpeaker, Speaker
from .services import (
    delete_session,
    save_day,
    save_event,
    save_room,
    save_session,
    save_speaker,
    update_session,
)

FILE = "programme.toml"


def first_day(*, folder: Path | None = None) -> date:
    """The programme's own first day (the default of `load_demo --start`)."""
    return demodata.read("programme", folder=folder)["event"]["first_day"]


@transaction.atomic
def build(*, start: date | None = None, folder: Path | None = None) -> Event:
    """Create or update the event of the programme, its days, rooms, speakers, sessions."""
    data = demodata.read("programme", folder=folder)
    for n, past in enumerate(data.get("past_event", []), start=1):
        with demodata.entry(f"{FILE}, past_event {n}"):
            _past_event(past)
    with demodata.entry(f"{FILE}, [event]"):
        event = _event(data["event"], data.get("session", []), days=len(data["day"]), start=start)
    days = _days(event, data["day"])
    rooms = _rooms(event, data.get("room", []))
    speakers = _speakers(event, data.get("speaker", []))
    for n, entry in enumerate(data.get("session", []), start=1):
        label = f"{FILE}, session {n} “{entry.get('title_en', '?')}”"
        with demodata.entry(label):
            _session(event, entry, days=days, rooms=rooms, speakers=speakers, label=label)
    return event


def _past_event(entry: dict) -> None:
    event = Event.objects.filter(slug=entry["slug"]).first() or Event(slug=entry["slug"])
    event.name = entry["name"]
    event.start_date, event.end_date = entry["first_day"], entry["last_day"]
    event.city, event.country = entry["city"], entry["country"]
    event.is_current = False
    save_event(event=event)


def _event(entry: dict, sessions: list[dict], *, days: int, start: date | None) -> Event:
    start = start or entry["first_day"]
    event = Event.objects.filter(slug=entry["slug"]).first()
    if event is not None:
        _drop_sessions_not_in(event, sessions)
    if event is not None and event.start_date != start:
        _shift(event, start - event.start_date)
    for other in Event.objects.filter(is_current=True).exclude(slug=entry["slug"]):
        other.is_current = False
        save_event(event=other)
    event = event or Event(slug=entry["slug"])
    for field in ("name_en", "name_es", "time_zone", "venue_en", "venue_es", "city", "country"):
        setattr(event, field, entry[field])
    for field in ("tagline_en", "tagline_es", "description_en", "description_es"):
        setattr(event, field, entry.get(field, ""))
    event.start_date, event.end_date = start, start + timedelta(days=days - 1)
    event.is_current = True
    return save_event(event=event)


def _drop_sessions_not_in(event: Event, entries: list[dict]) -> None:
    """A stored session the programme no longer has (moved or renamed in the file) goes,
    through `delete_session`, before anything moves: kept, it would stay in the agenda
    beside its new version and could book a room the programme has since given away."""
    wanted = {(e.get("day"), str(e.get("start")), e.get("title_en")) for e in entries}
    for session in event.sessions.select_related("day"):
        local = session.starts_at.astimezone(event.zone)
        day = (local.date() - event.start_date).days + 1
        if (day, f"{local:%H:%M}", session.title_en) not in wanted:
            delete_session(session=session)


def _shift(event: Event, delta: timedelta) -> None:
    """Move the stored days and sessions by `delta`, one by one through the services, in
    an order that never lays one on a neighbour not yet moved."""
    later_first = delta.days > 0
    for day in event.days.order_by("-date" if later_first else "date"):
        day.date += delta
        save_day(day=day)
    for session in event.sessions.order_by("-starts_at" if later_first else "starts_at"):
        update_session(
            session=session, starts_at=session.starts_at + delta, ends_at=session.ends_at + delta
        )


def _days(event: Event, entries: list[dict]) -> list[EventDay]:
    days = []
    for offset, entry in enumerate(entries):
        with demodata.entry(f"{FILE}, day {offset + 1}"):
            when = event.start_date + timedelta(days=offset)
            day = EventDay.objects.filter(event=event, date=when).first()
            day = day or EventDay(event=event, date=when)
            for field in ("title_en", "title_es", "theme_en", "theme_es", "is_public"):
                setattr(day, field, entry[field])
            days.append(save_day(day=day))
    return days


def _rooms(event: Event, entries: list[dict]) -> dict[str, Room]:
    rooms = {}
    for position, entry in enumerate(entries):
        with demodata.entry(f"{FILE}, room {position + 1}"):
            room = Room.objects.filter(event=event, name=entry["name"]).first()
            room = room or Room(event=event, name=entry["name"])
            room.capacity = entry["capacity"]
            room.directions_en = entry.get("directions_en", "")
            room.directions_es = entry.get("directions_es", "")
            room.position = position
            rooms[room.name] = save_room(room=room)
    return rooms


PORTRAIT_CONSENT = {"shown": True, "hidden": False}


def _speakers(event: Event, entries: list[dict]) -> dict[str, Speaker]:
    speakers = {}
    for n, entry in enumerate(entries, start=1):
        with demodata.entry(f"{FILE}, speaker {n} “{entry.get('name', '?')}”"):
            speaker = Speaker.objects.filter(event=event, name=entry["name"]).first()
            speaker = speaker or Speaker(event=event, name=entry["name"])
            speaker.organisation = entry.get("organisation", "")
            speaker.bio_en, speaker.bio_es = entry.get("bio_en", ""), entry.get("bio_es", "")
            if "portrait" in entry:
                _give_portrait(speaker, consent=PORTRAIT_CONSENT[entry["portrait"]])
            speakers[speaker.name] = save_speaker(speaker=speaker)
    return speakers


def _session(
    event: Event,
    entry: dict,
    *,
    days: list[EventDay],
    rooms: dict[str, Room],
    speakers: dict[str, Speaker],
    label: str,
) -> Session:
    number = entry["day"]
    if not isinstance(number, int) or not 1 <= number <= len(days):
        raise demodata.DemoDataError(
            f"{label}: day {number!r}, but the event has days 1 to {len(days)}."
        )
    day = days[number - 1]
    starts_at = _local(event, day.date, entry["start"])
    session = Session.objects.filter(
        event=event, day=day, title_en=entry["title_en"], starts_at=starts_at
    ).first() or Session(event=event, day=day, title_en=entry["title_en"], starts_at=starts_at)
    session.ends_at = _local(event, day.date, entry["end"])
    session.room = _room(rooms, entry.get("room"))
    session.title_es = entry.get("title_es", "")
    session.description_en = entry.get("description_en", "")
    session.description_es = entry.get("description_es", "")
    session.kind = Session.Kind(entry["kind"])
    session.audience = Session.Audience(entry["audience"])
    session.capacity = entry.get("signup_capacity")
    session.signup_required = session.capacity is not None
    cast = [
        (_named(speakers, name, "speaker"), SessionSpeaker.Role(role))
        for name, role in entry.get("speakers", [])
    ]
    return save_session(session=session, speakers=cast)


def _local(event: Event, day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=event.zone)


def _room(rooms: dict[str, Room], name: str | None) -> Room | None:
    return _named(rooms, name, "room") if name else None


def _named(known: dict, name: str, what: str):
    if name not in known:
        raise ValueError(f"no {what} named {name!r} in {FILE}")
    return known[name]


def _give_portrait(speaker: Speaker, *, consent: bool) -> None:
    """An invented portrait (a plain coloured square), kept once made."""
    if not speaker.photo:
        speaker.photo.save(f"demo-speaker-{slugify(speaker.name)}.png", _portrait(), save=False)
    speaker.photo_consent = consent


def _portrait() -> ContentFile:
    image = Image.new("RGB", (320, 320), (0, 94, 120))
    ImageDraw.Draw(image).ellipse((90, 50, 230, 190), fill=(255, 255, 255))
    ImageDraw.Draw(image).rectangle((60, 210, 260, 320), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())
