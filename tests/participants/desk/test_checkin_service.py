import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from participants.desk import services as checkin
from participants.desk.services import Outcome, check_in_by_code, check_in_code
from participants.models import CheckIn, Registration
from tests.factories import StaffUserFactory
from tests.participants.staff_data import build_dialogue

ZONE = ZoneInfo("America/Costa_Rica")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 6, day, hour, minute, tzinfo=ZONE)


@pytest.fixture
def clock_at(monkeypatch):
    def move(moment: datetime) -> None:
        monkeypatch.setattr(checkin.clock, "now", lambda: moment)

    return move


@pytest.fixture
def dialogue(db):
    return build_dialogue()


@pytest.fixture
def desk(db):
    return StaffUserFactory()


def test_the_code_is_signed_and_not_the_bare_secret(dialogue):
    code = check_in_code(dialogue.ana)
    secret = dialogue.ana.check_in_secret
    assert code.startswith(secret + ":")
    assert len(code) > len(secret) + 20
    assert check_in_code(dialogue.ana) == code  # the badge does not change


def test_a_valid_code_checks_in_once_per_day(dialogue, desk, clock_at):
    code = check_in_code(dialogue.ana)
    clock_at(at(3, 8, 42))
    first = check_in_by_code(code=code, by=desk)
    clock_at(at(3, 10, 5))
    again = check_in_by_code(code=code, by=desk)
    clock_at(at(4, 8, 30))
    next_day = check_in_by_code(code=code, by=desk)

    assert first.outcome == Outcome.CHECKED_IN
    assert again.outcome == Outcome.ALREADY
    assert again.checked_in_at.astimezone(ZONE).strftime("%H:%M") == "08:42"
    assert next_day.outcome == Outcome.CHECKED_IN
    rows = CheckIn.objects.order_by("day").values_list("day", "checked_in_by")
    assert [(str(day), by) for day, by in rows] == [
        ("2024-06-03", desk.pk),
        ("2024-06-04", desk.pk),
    ]


def test_the_day_is_the_event_day_not_the_utc_day(dialogue, desk, clock_at):
    clock_at(datetime(2024, 6, 4, 3, 0, tzinfo=ZoneInfo("UTC")))  # 21:00 on 3 June in San José
    result = check_in_by_code(code=check_in_code(dialogue.ana), by=desk)
    assert str(result.day) == "2024-06-03"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # altered signature
        lambda code: ("X" if code[0] != "X" else "Y") + code[1:],  # altered secret
        lambda code: code.split(":")[0],  # the bare secret, unsigned
        lambda code: "not a code at all",
        lambda code: "",
    ],
)
def test_a_forged_or_altered_code_is_refused(dialogue, desk, clock_at, mangle):
    clock_at(at(3, 9))
    result = check_in_by_code(code=mangle(check_in_code(dialogue.ana)), by=desk)
    assert result.outcome == Outcome.UNKNOWN
    assert result.registration is None
    assert CheckIn.objects.count() == 0


def test_a_code_signed_with_another_key_is_refused(dialogue, desk, clock_at, settings):
    settings.SECRET_KEY = "another-site-" + "x" * 50
    forged = check_in_code(dialogue.ana)
    settings.SECRET_KEY = "the-real-site-" + "y" * 50
    clock_at(at(3, 9))
    assert check_in_by_code(code=forged, by=desk).outcome == Outcome.UNKNOWN


@pytest.mark.parametrize("registration", ["ben", "dee"])
def test_a_registration_not_approved_is_refused(dialogue, desk, clock_at, registration):
    clock_at(at(3, 9))
    result = check_in_by_code(code=check_in_code(getattr(dialogue, registration)), by=desk)
    assert result.outcome == Outcome.NOT_APPROVED
    assert CheckIn.objects.count() == 0


def test_a_day_the_registration_does_not_cover_is_refused(dialogue, desk, clock_at):
    clock_at(at(5, 9))  # the open-day guest on Wednesday
    result = check_in_by_code(code=check_in_code(dialogue.cai), by=desk)
    assert result.outcome == Outcome.NOT_THIS_DAY
    clock_at(at(4, 9))
    assert check_in_by_code(code=check_in_code(dialogue.cai), by=desk).outcome == "checked_in"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_scans_make_one_record(clock_at):
    assert connection.vendor == "postgresql"
    dialogue = build_dialogue()
    desks = [StaffUserFactory(), StaffUserFactory()]
    code = check_in_code(dialogue.ana)
    clock_at(at(3, 8, 42))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def scan(desk) -> None:
        try:
            barrier.wait()
            outcomes.append(check_in_by_code(code=code, by=desk).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(desk,)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already", "checked_in"]
    assert CheckIn.objects.filter(registration=dialogue.ana).count() == 1
    assert Registration.objects.get(pk=dialogue.ana.pk).check_ins.count() == 1


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_scan_racing_an_uncommitted_one_waits_and_reads_it_back(clock_at):
    """The race itself: the second desk's insert blocks on the unique index until the
    first commits, then reads the first desk's row instead of failing or doubling it."""
    dialogue = build_dialogue()
    first_desk, second_desk = StaffUserFactory(), StaffUserFactory()
    code = check_in_code(dialogue.ana)
    clock_at(at(3, 8, 42))
    inserted, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                outcomes["first"] = check_in_by_code(code=code, by=first_desk).outcome
                inserted.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def second() -> None:
        try:
            inserted.wait(timeout=10)
            outcomes["second"] = check_in_by_code(code=code, by=second_desk).outcome
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inserted.wait(timeout=10)
    deadline = time.monotonic() + 10
    while not _waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    blocked = _waiting_on_a_lock()
    release.set()
    for thread in threads:
        thread.join()

    assert blocked
    assert outcomes == {"first": "checked_in", "second": "already"}
    assert list(CheckIn.objects.values_list("checked_in_by", flat=True)) == [first_desk.pk]


def test_every_registration_has_a_short_unambiguous_desk_code(dialogue):
    codes = list(Registration.objects.values_list("desk_code", flat=True))
    assert len(codes) == len(set(codes)) > 1
    for code in codes:
        assert len(code) == 8
        assert not set(code) & set("0O1IL")


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{first}-{last}", " {first} {last} "])
def test_a_typed_desk_code_checks_in(dialogue, desk, clock_at, typed):
    code = dialogue.ana.desk_code
    clock_at(at(3, 8, 42))
    text = typed.format(code=code, lower=code.lower(), first=code[:4], last=code[4:])

    result = check_in_by_code(code=text, by=desk)

    assert result.outcome == Outcome.CHECKED_IN
    assert result.registration == dialogue.ana


def test_a_desk_code_nobody_has_is_unknown(dialogue, desk, clock_at):
    clock_at(at(3, 8, 42))
    taken = set(Registration.objects.values_list("desk_code", flat=True))
    made_up = next(c for c in ("AAAA2222", "BBBB3333", "CCCC4444") if c not in taken)
    assert check_in_by_code(code=made_up, by=desk).outcome == Outcome.UNKNOWN


def test_revoking_a_badge_refuses_its_old_qr_and_desk_code(dialogue, desk, clock_at):
    clock_at(at(3, 8, 42))
    old_qr, old_desk = check_in_code(dialogue.ana), dialogue.ana.desk_code

    checkin.revoke_badge(registration=dialogue.ana)

    assert check_in_by_code(code=old_qr, by=desk).outcome == Outcome.UNKNOWN
    assert check_in_by_code(code=old_desk, by=desk).outcome == Outcome.UNKNOWN
    dialogue.ana.refresh_from_db()
    assert dialogue.ana.desk_code != old_desk
    assert check_in_by_code(code=dialogue.ana.desk_code, by=desk).outcome == Outcome.CHECKED_IN
