"""Session sign-up: seats, waiting list, promotion, clashes, pages, access, query counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.models import Registration, SessionSignup
from participants.schedule.selectors import schedule_sessions
from participants.signups import services
from participants.signups.selectors import waitlist_rank
from sanjose.access import viewer_for
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventDayFactory,
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

ZONE = ZoneInfo("America/Costa_Rica")
S = SessionSignup.Status
# The schedule page with its sign-up section: the same at 2 and 12 sign-up sessions.
SCHEDULE_QUERIES = 13  # cold caches (the event and its days are loaded once, then cached)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_the_event(monkeypatch):
    monkeypatch.setattr("sanjose.clock.now", lambda: datetime(2024, 6, 1, 12, tzinfo=ZONE))


@pytest.fixture
def event():
    return EventFactory(is_current=True)


@pytest.fixture
def workshop(event):
    day = EventDayFactory(event=event)
    return SessionFactory(
        event=event,
        day=day,
        signup_required=True,
        capacity=2,
        title_en="Field visit to a shelter",
        title_es="Visita a un albergue",
        starts_at=datetime(2024, 6, 3, 14, tzinfo=ZONE),
        ends_at=datetime(2024, 6, 3, 16, tzinfo=ZONE),
    )


def approved(event, **fields):
    participant = ParticipantFactory(**fields)
    RegistrationFactory(participant=participant, event=event, status=Registration.Status.APPROVED)
    return participant


def test_seats_then_the_waiting_list_in_order(event, workshop):
    people = [approved(event) for _ in range(4)]

    signups = [services.sign_up(participant=p, session=workshop) for p in people]

    assert [s.status for s in signups] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert [waitlist_rank(s) for s in signups] == [None, None, 1, 2]
    workshop.refresh_from_db()
    assert (workshop.signup_count, workshop.seats_left) == (2, 0)


def test_cancelling_a_seat_promotes_the_first_waiting_and_emails_them(
    event, workshop, django_capture_on_commit_callbacks
):
    people = [approved(event, preferred_language="es") for _ in range(4)]
    signups = [services.sign_up(participant=p, session=workshop) for p in people]

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_signup(signup=signups[0])

    assert [s.pk for s in promoted] == [signups[2].pk]
    signups[3].refresh_from_db()
    assert waitlist_rank(signups[3]) == 1
    assert not SessionSignup.objects.filter(pk=signups[0].pk).exists()
    message = OutboxMessage.objects.get(kind="session_signup_promoted")
    assert message.recipient == people[2].user.email
    assert "Visita a un albergue" in message.subject
    assert workshop.get_absolute_url() in message.body_text


def test_leaving_the_waiting_list_promotes_nobody(event, workshop):
    signups = [services.sign_up(participant=approved(event), session=workshop) for _ in range(3)]

    assert services.cancel_signup(signup=signups[2]) == []
    workshop.refresh_from_db()
    assert workshop.signup_count == 2


def test_a_confirmed_signup_is_in_the_schedule_and_a_waiting_one_is_not(event, workshop):
    first, second, third = (approved(event) for _ in range(3))
    for person in (first, second, third):
        services.sign_up(participant=person, session=workshop)

    def has_it(person):
        sessions = schedule_sessions(
            participant=person, viewer=viewer_for(person.user), event_id=event.pk
        )
        return workshop in sessions

    assert (has_it(first), has_it(third)) == (True, False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signup_required": False}, "does not take sign-ups"),
        ({"is_cancelled": True}, "is cancelled"),
        ({"ends_at": datetime(2024, 6, 1, 11, tzinfo=ZONE)}, "is over"),
    ],
)
def test_sign_up_is_refused_when_the_session_does_not_take_it(event, workshop, change, message):
    if "ends_at" in change:
        change["starts_at"] = change["ends_at"] - timedelta(hours=1)
    for name, value in change.items():
        setattr(workshop, name, value)
    workshop.save()

    with pytest.raises(services.SignupError, match=message):
        services.sign_up(participant=approved(event), session=workshop)
    assert not SessionSignup.objects.exists()


def test_sign_up_is_refused_twice_and_to_someone_not_approved(event, workshop):
    person = approved(event)
    services.sign_up(participant=person, session=workshop)

    with pytest.raises(services.SignupError, match="already signed up"):
        services.sign_up(participant=person, session=workshop)
    with pytest.raises(services.SignupError, match="not open to you"):
        services.sign_up(participant=ParticipantFactory(), session=workshop)
    workshop.refresh_from_db()
    assert workshop.signup_count == 1


def test_signing_up_from_the_session_page_warns_of_a_clash(client, event, workshop):
    person = approved(event)
    SessionFactory(
        event=event,
        day=workshop.day,
        title_en="Afternoon plenary",
        starts_at=datetime(2024, 6, 3, 15, tzinfo=ZONE),
        ends_at=datetime(2024, 6, 3, 17, tzinfo=ZONE),
    )
    client.force_login(person.user)

    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "2 seats left" in page
    assert "It overlaps with:" in page and "Afternoon plenary" in page

    response = client.post(
        f"/me/signups/{workshop.pk}/", {"next": workshop.get_absolute_url()}, follow=True
    )

    texts = [str(m) for m in response.context["messages"]]
    assert texts == [
        "You have a seat. The session is now in your schedule.",
        "It overlaps with “Afternoon plenary” in your schedule.",
    ]
    assert 'data-signup="confirmed"' in response.content.decode()


def test_the_waiting_list_and_cancelling_from_the_schedule_page(client, event, workshop):
    for _ in range(2):
        services.sign_up(participant=approved(event), session=workshop)
    person = approved(event)
    client.force_login(person.user)

    schedule = client.get("/me/schedule/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Visita a un albergue" in schedule
    assert "Unirse a la lista de espera" in schedule
    response = client.post(
        f"/me/signups/{workshop.pk}/",
        {"next": "/me/schedule/"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.redirect_chain[-1][0] == "/me/schedule/"
    assert "número 1 en la lista de espera" in response.content.decode()

    response = client.post(
        f"/me/signups/{workshop.pk}/cancel/", {"next": "/me/schedule/"}, follow=True
    )
    assert not SessionSignup.objects.filter(participant=person).exists()
    assert response.redirect_chain[-1][0] == "/me/schedule/"


def test_next_must_stay_on_this_site(client, event, workshop):
    client.force_login(approved(event).user)

    response = client.post(f"/me/signups/{workshop.pk}/", {"next": "https://evil.example/"})

    assert response.headers["Location"] == workshop.get_absolute_url()


@pytest.mark.parametrize(
    ("who", "sign_up_status", "signed_up"),
    [
        ("anonymous", 302, False),  # to the sign-in page
        ("pending", 404, False),  # the session does not exist for them
        ("approved", 302, True),
        ("staff", 404, False),  # staff have no participant profile to sign up
    ],
)
def test_access_matrix(client, event, workshop, who, sign_up_status, signed_up):
    if who == "pending":
        person = ParticipantFactory()
        RegistrationFactory(participant=person, event=event)
        client.force_login(person.user)
    elif who == "approved":
        client.force_login(approved(event).user)
    elif who == "staff":
        client.force_login(UserFactory(username="staff", is_staff=True))

    response = client.post(f"/me/signups/{workshop.pk}/")

    assert response.status_code == sign_up_status
    if who == "anonymous":
        assert response.headers["Location"].startswith("/accounts/login/")
    assert SessionSignup.objects.exists() == signed_up
    assert client.get(f"/me/signups/{workshop.pk}/").status_code in (302, 404, 405)


def test_public_signups_are_open_to_an_open_day_guest(client, event):
    talk = SessionFactory(
        event=event,
        audience="public",
        signup_required=True,
        capacity=10,
        starts_at=datetime(2024, 6, 4, 9, tzinfo=ZONE),
        ends_at=datetime(2024, 6, 4, 10, tzinfo=ZONE),
    )
    guest = ParticipantFactory()
    client.force_login(guest.user)

    client.post(f"/me/signups/{talk.pk}/")

    assert SessionSignup.objects.get().participant == guest


@pytest.mark.parametrize("size", [2, 12])
def test_schedule_page_queries_do_not_grow_with_signup_sessions(client, event, size):
    person = approved(event)
    day = EventDayFactory(event=event)
    for n in range(size):
        session = SessionFactory(
            event=event,
            day=day,
            signup_required=True,
            capacity=5,
            starts_at=datetime(2024, 6, 3, 8, tzinfo=ZONE) + timedelta(hours=n),
            ends_at=datetime(2024, 6, 3, 9, tzinfo=ZONE) + timedelta(hours=n),
        )
        if n % 2:
            services.sign_up(participant=person, session=session)
    client.force_login(person.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/me/schedule/")

    assert response.status_code == 200
    assert response.content.decode().count('class="signup-row') == size
    assert len(queries) == SCHEDULE_QUERIES
