"""Both feeds parsed back with `icalendar`: times, zones, UIDs, SEQUENCE, cancellations."""

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from events.services import cancel_session, update_session

ZONE = ZoneInfo("America/Costa_Rica")


def entries(client, url: str) -> tuple[Calendar, dict[str, object]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_public_feed_carries_the_real_zone_the_room_and_a_stable_uid(client, world):
    calendar, events = entries(client, "/agenda.ics")

    entry = events["Open panel on tourism"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Costa_Rica"]
    assert entry["DTSTART"].params["TZID"] == "America/Costa_Rica"
    assert entry.decoded("DTSTART") == datetime(2024, 6, 3, 9, 0, tzinfo=ZONE)
    assert entry.decoded("DTSTART").utcoffset().total_seconds() == -6 * 3600
    assert entry.decoded("DTEND") == datetime(2024, 6, 3, 10, 0, tzinfo=ZONE)
    assert str(entry["LOCATION"]) == "Sala Guanacaste"
    assert str(entry["UID"]) == f"session-{world.public.pk}@127.0.0.1"
    assert (entry["SEQUENCE"], str(entry["STATUS"])) == (0, "CONFIRMED")
    assert str(entry["URL"]).endswith(f"/agenda/sessions/{world.public.pk}/")


def test_a_changed_session_keeps_its_uid_with_a_higher_sequence(
    client, world, django_capture_on_commit_callbacks
):
    _, before = entries(client, "/agenda.ics")

    with django_capture_on_commit_callbacks(execute=True):  # drops the cached feed
        update_session(
            session=world.public,
            starts_at=datetime(2024, 6, 3, 8, 30, tzinfo=ZONE),
            title_en="Open panel on tourism (moved)",
        )
    _, after = entries(client, "/agenda.ics")

    old, new = before["Open panel on tourism"], after["Open panel on tourism (moved)"]
    assert new["UID"] == old["UID"]
    assert new["SEQUENCE"] == 1
    assert new.decoded("DTSTART") == datetime(2024, 6, 3, 8, 30, tzinfo=ZONE)


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(client, world):
    cancel_session(session=world.public)

    _, events = entries(client, "/agenda.ics")

    entry = events["Open panel on tourism"]
    assert (str(entry["STATUS"]), entry["SEQUENCE"]) == ("CANCELLED", 1)


def test_personal_feed_carries_the_same_uids_zone_and_sequence(client, world):
    update_session(session=world.closed, title_en="GARA meeting, new time")
    token = world.people["member"].calendar_token

    calendar, events = entries(client, f"/calendar/{token}.ics")

    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Costa_Rica"]
    assert {str(e["UID"]) for e in events.values()} == {
        f"session-{s.pk}@127.0.0.1" for s in (world.public, world.participants_only, world.closed)
    }
    closed = events["GARA meeting, new time"]
    assert closed["DTSTART"].params["TZID"] == "America/Costa_Rica"
    assert (str(closed["LOCATION"]), closed["SEQUENCE"]) == ("Sala Monteverde", 1)
    assert "private" in client.get(f"/calendar/{token}.ics")["Cache-Control"]


def test_personal_feed_speaks_the_owners_language(client, world):
    member = world.people["member"]
    member.preferred_language = "es"
    member.save()
    world.public.title_es = "Panel abierto sobre turismo"
    world.public.save()

    _, events = entries(client, f"/calendar/{member.calendar_token}.ics")

    assert "Panel abierto sobre turismo" in events


def test_reset_token_retires_the_old_feed_url(client, world):
    participant = world.people["approved"]
    old = participant.calendar_token
    world.login(client, "approved")

    response = client.post("/me/schedule/reset-calendar/")

    participant.refresh_from_db()
    assert response.status_code == 302
    assert participant.calendar_token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{participant.calendar_token}.ics").status_code == 200
