"""Announcements: who sees which (the access matrix), emails once per person, admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.announcements import services
from participants.models import Announcement, Group, Registration
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
A = Announcement.Audience
# The home page and /me/ with announcements: the same at 2 and 12 announcements.
HOME_AND_ME_QUERIES = (8, 13)  # with the events attended; the viewer from the page cache


@pytest.fixture
def world():
    event = EventFactory(is_current=True)
    delegates = RegistrationTypeFactory(event=event, slug="full-dialogue")
    open_day = RegistrationTypeFactory(event=event, slug="open-day", is_public=True)
    caucus = GroupFactory(event=event, kind=Group.Kind.CLOSED, name="Caribbean caucus")
    people = {}
    for who, registration_type, status in [
        ("delegate", delegates, Registration.Status.APPROVED),
        ("guest", open_day, Registration.Status.APPROVED),
        ("pending", delegates, Registration.Status.SUBMITTED),
        ("member", delegates, Registration.Status.APPROVED),
    ]:
        people[who] = ParticipantFactory(user=UserFactory(username=who), preferred_language="es")
        RegistrationFactory(
            participant=people[who], event=event, type=registration_type, status=status
        )
    MembershipFactory(participant=people["member"], group=caucus)
    notices = {
        "everyone": Announcement.objects.create(
            event=event, title_en="Welcome", title_es="Bienvenida", body_en="Doors open at 8."
        ),
        "delegates": Announcement.objects.create(
            event=event,
            title_en="Delegates' dinner",
            body_en="At 19:00.",
            audience=A.TYPE,
            registration_type=delegates,
        ),
        "caucus": Announcement.objects.create(
            event=event, title_en="Caucus moved", body_en="Room 2.", audience=A.GROUP, group=caucus
        ),
        "draft": Announcement.objects.create(event=event, title_en="Not yet", body_en="Draft."),
    }
    for key in ("everyone", "delegates", "caucus"):
        services.publish_announcement(announcement=notices[key])
    return event, people, notices


SEES = {
    "anonymous": {"Welcome"},
    "pending": {"Welcome"},
    "guest": {"Welcome"},
    "delegate": {"Welcome", "Delegates' dinner"},
    "member": {"Welcome", "Delegates' dinner", "Caucus moved"},
    "staff": {"Welcome", "Delegates' dinner", "Caucus moved"},
}
ALL_TITLES = {"Welcome", "Delegates' dinner", "Caucus moved", "Not yet"}


@pytest.mark.parametrize("who", list(SEES))
@pytest.mark.parametrize("url", ["/", "/me/"])
def test_each_viewer_sees_exactly_their_announcements(client, world, who, url):
    _, people, _ = world
    if who == "staff":
        user = UserFactory(username="staff", is_staff=True)
        ParticipantFactory(user=user)
        client.force_login(user)
    elif who != "anonymous":
        client.force_login(people[who].user)
    if url == "/me/" and who == "anonymous":
        assert client.get(url).status_code == 302
        return

    page = client.get(url).content.decode()

    shown = {title for title in ALL_TITLES if title.replace("'", "&#x27;") in page}
    assert shown == SEES[who]


def test_announcements_speak_the_readers_language(client, world):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Anuncios" in page and "Bienvenida" in page


def test_the_email_goes_once_to_each_person_of_the_audience_in_their_language(
    world, django_capture_on_commit_callbacks
):
    event, people, notices = world
    dinner = notices["delegates"]
    dinner.send_email = True
    dinner.title_es = "Cena de las delegaciones"
    dinner.save()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.publish_announcement(announcement=dinner)
        again = services.publish_announcement(announcement=dinner)

    messages = OutboxMessage.objects.filter(kind="announcement")
    assert (first, again) == (2, 0)
    assert sorted(m.recipient for m in messages) == sorted(
        [people["delegate"].user.email, people["member"].user.email]
    )
    assert {m.subject for m in messages} == {f"{event.name}: Cena de las delegaciones"}
    assert all(m.status == OutboxMessage.Status.SENT for m in messages)
    dinner.refresh_from_db()
    assert dinner.emailed_count == 2


def test_a_withdrawn_announcement_leaves_the_pages(client, world):
    _, _, notices = world
    services.withdraw_announcement(announcement=notices["everyone"])

    assert "Welcome" not in client.get("/").content.decode()


def test_an_audience_without_its_type_or_group_is_refused_in_the_admin(client, world):
    event, _, _ = world
    sign_in_staff(client, UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/participants/announcement/add/",
        {"event": event.pk, "title_en": "Oops", "body_en": "No group.", "audience": "group"},
    )

    assert response.status_code == 200
    assert "Choose the registration type" in response.content.decode()
    assert not Announcement.objects.filter(title_en="Oops").exists()


def test_publishing_from_the_admin_queues_the_emails(client, world):
    _, _, notices = world
    draft = notices["draft"]
    draft.send_email = True
    draft.save()
    sign_in_staff(client, UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/participants/announcement/",
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )

    assert "Published. 3 emails queued." in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is not None


@pytest.mark.parametrize("count", [2, 12])
def test_home_and_me_queries_do_not_grow_with_announcements(client, world, count):
    event, people, _ = world
    for n in range(count):
        services.publish_announcement(
            announcement=Announcement.objects.create(
                event=event, title_en=f"Notice {n}", body_en="Text."
            )
        )
    client.force_login(people["member"].user)

    with CaptureQueriesContext(connection) as home:
        client.get("/")
    with CaptureQueriesContext(connection) as me:
        client.get("/me/")

    assert (len(home), len(me)) == HOME_AND_ME_QUERIES
