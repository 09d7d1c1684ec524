"""Feedback through its pages: who may answer, anonymity, one answer each, editing,
closing, organisers' results and export, the evening reminder, query counts."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Session
from participants.feedback.services import queue_feedback_reminders
from participants.models import (
    ExportLog,
    FeedbackAnswer,
    FeedbackReceipt,
    Registration,
    SessionSignup,
)
from participants.roles import ORGANISER
from sanjose import clock
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    CheckInFactory,
    EventDayFactory,
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("America/Costa_Rica")
MONDAY, TUESDAY, FRIDAY = date(2024, 6, 3), date(2024, 6, 4), date(2024, 6, 7)
WEDNESDAY_NOON = datetime(2024, 6, 5, 12, 0, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def now(monkeypatch):
    """Wednesday of the event week unless a test moves it."""
    moment = {"now": WEDNESDAY_NOON}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def event():
    event = EventFactory(is_current=True)
    for day in (MONDAY, TUESDAY, FRIDAY):
        EventDayFactory(event=event, date=day)
    return event


def session_on(event, day: date, title="Plenary", audience=Session.Audience.PARTICIPANTS):
    starts = datetime.combine(day, datetime.min.time(), tzinfo=ZONE) + timedelta(hours=9)
    return SessionFactory(
        event=event,
        day=EventDayFactory(event=event, date=day),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        title_en=title,
        title_es=f"{title} (es)",
        audience=audience,
    )


def delegate(event, *, checked_in_on=(), name="Ana Example", language="en"):
    person = ParticipantFactory(
        badge_name=name, preferred_language=language, user=UserFactory(email=f"{name[:3]}@ex.org")
    )
    registration = RegistrationFactory(
        participant=person, event=event, status=Registration.Status.APPROVED
    )
    for day in checked_in_on:
        CheckInFactory(registration=registration, day=day)
    return person


def answer(client, session, **data):
    url = f"/me/feedback/sessions/{session.pk}/" if session else "/me/feedback/event/"
    return client.post(url, {"rating": 4, "comment": "", **data})


# --- Who may answer --------------------------------------------------------------------------


def test_a_person_checked_in_that_day_answers_anonymously_by_default(client, event):
    plenary = session_on(event, MONDAY)
    ana = delegate(event, checked_in_on=[MONDAY])
    client.force_login(ana.user)

    form = client.get(f"/me/feedback/sessions/{plenary.pk}/")
    response = answer(client, plenary, rating=5, comment="Clear and useful.", anonymous="on")

    assert form.status_code == 200 and form.context["form"]["anonymous"].initial is True
    assert response.status_code == 302
    stored = FeedbackAnswer.objects.get()
    assert (stored.rating, stored.comment, stored.participant_id) == (5, "Clear and useful.", None)
    assert FeedbackReceipt.objects.filter(participant=ana, session=plenary).count() == 1


def test_an_anonymous_answer_is_final_a_second_is_refused(client, event):
    plenary = session_on(event, MONDAY)
    client.force_login(delegate(event, checked_in_on=[MONDAY]).user)
    answer(client, plenary, anonymous="on")

    again = answer(client, plenary, rating=1, anonymous="on")
    page = client.get(f"/me/feedback/sessions/{plenary.pk}/").content.decode()

    assert again.status_code == 400
    assert "already answered, anonymously" in again.content.decode()
    assert list(FeedbackAnswer.objects.values_list("rating", flat=True)) == [4]
    assert "already answered, anonymously" in page and 'name="rating"' not in page


def test_a_named_answer_can_be_changed_while_open(client, event):
    plenary = session_on(event, MONDAY)
    ana = delegate(event, checked_in_on=[MONDAY])
    client.force_login(ana.user)
    answer(client, plenary, rating=2, comment="Too long.")

    form = client.get(f"/me/feedback/sessions/{plenary.pk}/")
    answer(client, plenary, rating=3, comment="Long, but good.")

    assert form.context["form"].initial == {"rating": 2, "comment": "Too long.", "anonymous": False}
    stored = FeedbackAnswer.objects.get()
    assert (stored.rating, stored.comment, stored.participant) == (3, "Long, but good.", ana)
    assert FeedbackReceipt.objects.count() == 1


def test_a_seat_in_the_session_counts_as_attending(client, event):
    visit = session_on(event, TUESDAY, title="Field visit")
    ana = delegate(event)
    SessionSignup.objects.create(participant=ana, session=visit)
    client.force_login(ana.user)

    assert answer(client, visit).status_code == 302


@pytest.mark.parametrize(
    "case", ["not checked in that day", "waitlisted", "not yet begun", "not approved", "hidden"]
)
def test_who_did_not_attend_finds_no_form(client, event, now, case):
    plenary = session_on(event, MONDAY)
    ana = delegate(event, checked_in_on=[TUESDAY])
    if case == "waitlisted":
        SessionSignup.objects.create(
            participant=ana, session=plenary, status="waitlisted", waitlist_position=1
        )
    if case == "not yet begun":
        now["now"] = datetime(2024, 6, 3, 8, 0, tzinfo=ZONE)
        CheckInFactory(registration=ana.registrations.get(), day=MONDAY)
    if case == "not approved":
        CheckInFactory(registration=ana.registrations.get(), day=MONDAY)
        Registration.objects.update(status=Registration.Status.CANCELLED)
    if case == "hidden":
        CheckInFactory(registration=ana.registrations.get(), day=MONDAY)
        plenary.audience = Session.Audience.GROUPS
        plenary.save()
    client.force_login(ana.user)

    page = client.get(f"/me/feedback/sessions/{plenary.pk}/")
    sent = answer(client, plenary)

    assert (page.status_code, sent.status_code) == (404, 404)
    assert "Plenary" not in page.content.decode()
    assert not FeedbackAnswer.objects.exists()


def test_breaks_are_not_evaluated(client, event):
    """Coffee and lunch are in the programme, not on the evaluation list: a day attended
    lists its sessions, and a break's form does not exist (404), so nothing is stored."""
    plenary = session_on(event, MONDAY)
    lunch = session_on(event, MONDAY, title="Lunch")
    Session.objects.filter(pk=lunch.pk).update(kind=Session.Kind.BREAK)
    client.force_login(delegate(event, checked_in_on=[MONDAY]).user)

    listed = [e.session for e in client.get("/me/feedback/").context["evaluations"]]
    response = answer(client, lunch)

    assert listed == [None, plenary]
    assert client.get(f"/me/feedback/sessions/{lunch.pk}/").status_code == 404
    assert response.status_code == 404 and not FeedbackAnswer.objects.exists()


def test_the_whole_event_is_open_to_who_came_on_any_day(client, event):
    client.force_login(delegate(event, checked_in_on=[TUESDAY]).user)
    assert answer(client, None, rating=5, anonymous="on").status_code == 302
    client.force_login(delegate(event, name="Bea Example").user)
    assert client.get("/me/feedback/event/").status_code == 404
    assert FeedbackAnswer.objects.filter(session=None).count() == 1


def test_feedback_closes_days_after_the_last_day(client, event, now, settings):
    settings.FEEDBACK_OPEN_DAYS = 14
    plenary = session_on(event, MONDAY)
    client.force_login(delegate(event, checked_in_on=[MONDAY]).user)
    now["now"] = datetime(2024, 6, 21, 23, 59, tzinfo=ZONE)
    assert answer(client, plenary, rating=3).status_code == 302

    now["now"] = datetime(2024, 6, 22, 0, 1, tzinfo=ZONE)
    late = answer(client, plenary, rating=1)
    listing = client.get("/me/feedback/").content.decode()

    assert late.status_code == 400 and "closed" in late.content.decode()
    assert list(FeedbackAnswer.objects.values_list("rating", flat=True)) == [3]
    assert "Feedback for this event is closed." in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": ""}, "Choose a rating from 1 to 5."),
        ({"rating": "9"}, "Select a valid choice."),
        ({"rating": "4", "comment": "x" * 2001}, "Keep the comment under 2000 characters"),
    ],
)
def test_bad_input_gets_a_clear_message_in_both_languages(client, event, data, message):
    plenary = session_on(event, MONDAY)
    client.force_login(delegate(event, checked_in_on=[MONDAY]).user)

    english = client.post(f"/me/feedback/sessions/{plenary.pk}/", data)
    spanish = client.post(f"/me/feedback/sessions/{plenary.pk}/", data, HTTP_ACCEPT_LANGUAGE="es")

    assert english.status_code == 400 and message in english.content.decode()
    assert spanish.status_code == 400 and message not in spanish.content.decode()
    assert spanish.context["form"].errors  # the same refusal, said in Spanish
    assert not FeedbackAnswer.objects.exists()


def test_my_feedback_lists_the_event_and_attended_sessions_in_spanish(client, event):
    session_on(event, MONDAY, title="Opening")
    session_on(event, TUESDAY, title="Skipped")
    client.force_login(delegate(event, checked_in_on=[MONDAY], language="es").user)

    page = client.get("/me/feedback/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Mis evaluaciones" in page and "El evento completo" in page
    assert "Opening (es)" in page and "Skipped" not in page


# --- Organisers ----------------------------------------------------------------------------


def answers_for(event, session, ratings, comment=""):
    for n, rating in enumerate(ratings):
        person = delegate(event, checked_in_on=[session.day.date], name=f"P{session.pk}-{n}")
        FeedbackReceipt.objects.create(participant=person, event=event, session=session)
        FeedbackAnswer.objects.create(event=event, session=session, rating=rating, comment=comment)


def test_organisers_see_counts_average_and_a_chart_per_session(client, event):
    plenary = session_on(event, MONDAY, title="Opening")
    answers_for(event, plenary, [5, 5, 4, 1])
    sign_in_staff(client, StaffUserFactory(roles=[ORGANISER]))

    response = client.get("/staff/feedback/")

    html = response.content.decode()
    [result] = response.context["results"]
    assert (result.session, result.count, result.average) == (plenary, 4, 3.75)
    assert [(b.label, b.count, b.percent) for b in result.chart.bars] == [
        ("5 ★", 2, 100),
        ("4 ★", 1, 50),
        ("3 ★", 0, 0),
        ("2 ★", 0, 0),
        ("1 ★", 1, 50),
    ]
    assert '<rect class="chart-bar" width="50"' in html
    # The summary sits inside its card (a card is as tall as its row: text after it spilled out).
    card = html.split('<section class="card h-100"')[1].split("</section>")[0]
    assert "4 answers, average 3.8 of 5" in card
    assert "style=" not in html.split("<main")[-1] and "<script>" not in html


def test_the_results_are_for_staff_only(client, event):
    assert client.get("/staff/feedback/").status_code == 302
    client.force_login(delegate(event, checked_in_on=[MONDAY]).user)
    assert client.get("/staff/feedback/").status_code == 403
    assert client.get(f"/staff/exports/feedback.csv?event={event.pk}").status_code == 403


def test_the_export_guards_formulas_logs_and_names_only_who_chose(client, event):
    plenary = session_on(event, MONDAY, title="Opening")
    answers_for(event, plenary, [2], comment='=HYPERLINK("http://evil.example","x")')
    ana = delegate(event, checked_in_on=[MONDAY], name="Named Example")
    FeedbackAnswer.objects.create(event=event, rating=5, comment="Great week.", participant=ana)
    staff = StaffUserFactory(roles=[ORGANISER])
    sign_in_staff(client, staff)

    response = client.get(f"/staff/exports/feedback.csv?event={event.pk}")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Session", "Starts", "Rating", "Comment", "Language", "Name"]
    assert rows[1] == ["The whole event", "", "5", "Great week.", "", "Named Example"]
    assert rows[2][:4] == [
        "Opening",
        "2024-06-03 09:00",
        "2",
        '\'=HYPERLINK("http://evil.example","x")',
    ]
    assert rows[2][5] == ""
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.row_count, log.filters) == (
        staff,
        "feedback",
        2,
        {"event": str(event.pk)},
    )


# --- The reminder ----------------------------------------------------------------------------


def test_the_reminder_goes_the_evening_of_the_last_day_once_to_who_came(event, now):
    delegate(event, checked_in_on=[MONDAY], name="Came Example", language="es")
    seated = delegate(event, name="Seated Example")
    SessionSignup.objects.create(participant=seated, session=session_on(event, TUESDAY))
    delegate(event, name="Absent Example")
    now["now"] = datetime(2024, 6, 7, 17, 59, tzinfo=ZONE)
    assert queue_feedback_reminders() == 0

    now["now"] = datetime(2024, 6, 7, 18, 5, tzinfo=ZONE)
    first = queue_feedback_reminders()
    queue_feedback_reminders()  # a later run of the evening doubles nothing

    sent = OutboxMessage.objects.filter(kind="feedback_reminder").order_by("recipient")
    assert first == 2
    assert [(m.recipient, m.language) for m in sent] == [("Cam@ex.org", "es"), ("Sea@ex.org", "en")]
    assert "/me/feedback/" in sent[0].body_text and "anónimas" in sent[0].body_text
    now["now"] = datetime(2024, 6, 8, 0, 1, tzinfo=ZONE)
    assert queue_feedback_reminders() == 0


def test_the_reminder_is_scheduled_by_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["queue-feedback-reminders"]
    assert entry["task"] == "participants.tasks.task_queue_feedback_reminders"


# --- Query counts at two sizes -------------------------------------------------------------
# The same at 3 and 30 sessions: /me/feedback/ (session, user, profile, viewer, event,
# attended sessions, receipts, named answers...), the results page, the CSV export.
MY_FEEDBACK_QUERIES = 11
# Two of them are the staff role's permissions (user and group), read once per request.
RESULTS_QUERIES = 8
EXPORT_QUERIES = 11


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", [3, 30])
def test_my_feedback_queries_do_not_grow(client, event, size):
    for n in range(size):
        session_on(event, MONDAY, title=f"Session {n}")
    ana = delegate(event, checked_in_on=[MONDAY])
    client.force_login(ana.user)

    queries = count_queries(client, "/me/feedback/")

    assert queries == MY_FEEDBACK_QUERIES


@pytest.mark.parametrize("size", [3, 30])
def test_results_and_export_queries_do_not_grow(client, event, size):
    for n in range(size):
        answers_for(event, session_on(event, MONDAY, title=f"Session {n}"), [n % 5 + 1])
    sign_in_staff(client, StaffUserFactory(roles=[ORGANISER]))

    results = count_queries(client, "/staff/feedback/")
    with CaptureQueriesContext(connection) as captured:
        b"".join(client.get(f"/staff/exports/feedback.csv?event={event.pk}").streaming_content)

    assert (results, len(captured)) == (RESULTS_QUERIES, EXPORT_QUERIES)
