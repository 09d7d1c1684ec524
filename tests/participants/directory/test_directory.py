"""The participant directory: consent, who sees whom, search and filters, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.directory.services import set_directory_listing
from participants.models import Registration
from tests.factories import (
    EventFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
# The directory page, the same at 4 and 31 people listed.
DIRECTORY_QUERIES = 9


@pytest.fixture
def event():
    return EventFactory(is_current=True)


def person(event, name, *, status=Registration.Status.APPROVED, listed=True, **fields):
    participant = ParticipantFactory(badge_name=name, **fields)
    RegistrationFactory(participant=participant, event=event, status=status)
    if listed:
        set_directory_listing(
            participant=participant, listed=True, bio=f"Bio of {name}", contact=f"{name} contact"
        )
    return participant


def names(response) -> list[str]:
    return [p.badge_name for p in response.context["page"]]


def test_approved_participants_see_only_approved_people_who_opted_in(client, event):
    me = person(event, "Ana Example", listed=False)
    person(event, "Bea Example", organisation="Red Niñez")
    person(event, "Carla Example", listed=False)
    person(event, "Dora Example", status=Registration.Status.SUBMITTED)
    other_event = EventFactory()
    person(other_event, "Eva Example")
    client.force_login(me.user)

    response = client.get("/directory/")

    assert names(response) == ["Bea Example"]
    body = response.content.decode()
    assert "Bio of Bea Example" in body and "Bea Example contact" in body
    assert "Carla Example" not in body and "Dora Example" not in body


def test_opting_out_removes_the_person_at_once_and_forgets_bio_and_contact(client, event):
    viewer = person(event, "Ana Example")
    bea = person(event, "Bea Example")
    client.force_login(bea.user)

    response = client.post("/me/directory/", {"listed": "", "bio": "ignored"}, follow=True)

    assert "nothing of you is shown" in response.content.decode()
    bea.refresh_from_db()
    assert (bea.directory_listed_at, bea.directory_bio, bea.directory_contact) == (None, "", "")
    client.force_login(viewer.user)
    assert names(client.get("/directory/")) == ["Ana Example"]


def test_opting_in_from_my_listing_records_when(client, event):
    ana = person(event, "Ana Example", listed=False)
    client.force_login(ana.user)

    client.post("/me/directory/", {"listed": "on", "bio": "Child protection lawyer."})

    ana.refresh_from_db()
    assert ana.directory_listed_at is not None
    assert ana.directory_bio == "Child protection lawyer."


def test_search_by_name_or_organisation_and_filter_by_sector_and_subregion(client, event):
    me = person(event, "Ana Example")
    person(event, "Bea Example", organisation="Red Niñez", sector="government")
    person(event, "Carla Example", sector="government", subregion="caribbean", country="JM")
    client.force_login(me.user)

    assert names(client.get("/directory/", {"q": "niñez"})) == ["Bea Example"]
    assert names(client.get("/directory/", {"q": "carla"})) == ["Carla Example"]
    assert names(client.get("/directory/", {"sector": "government"})) == [
        "Bea Example",
        "Carla Example",
    ]
    assert names(client.get("/directory/", {"sector": "government", "subregion": "caribbean"})) == [
        "Carla Example"
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("pending", 404), ("guest", 404), ("approved", 200), ("staff", 200)],
)
def test_access_matrix(client, event, who, status):
    person(event, "Bea Example")
    if who == "pending":
        client.force_login(person(event, "P", status=Registration.Status.SUBMITTED).user)
    elif who == "guest":
        guest_type = RegistrationTypeFactory(
            event=event, slug="open-day", is_public=True, grants_participant_access=False
        )
        guest = ParticipantFactory()
        RegistrationFactory(
            participant=guest, event=event, type=guest_type, status=Registration.Status.APPROVED
        )
        client.force_login(guest.user)
    elif who == "approved":
        client.force_login(person(event, "A", listed=False).user)
    elif who == "staff":
        client.force_login(UserFactory(username="staff", is_staff=True))

    response = client.get("/directory/")

    assert response.status_code == status
    if status == 200:
        assert "Bea Example" in response.content.decode()
    else:
        assert "Bea Example" not in response.content.decode()


def test_directory_speaks_spanish(client, event):
    me = person(event, "Ana Example")
    client.force_login(me.user)

    page = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Directorio de participantes" in page


@pytest.mark.parametrize("size", [3, 30])
def test_directory_queries_do_not_grow(client, event, size):
    me = person(event, "Ana Example")
    for n in range(size):
        person(event, f"Person {n:02d}")
    client.force_login(me.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/directory/")

    assert len(names(response)) == size + 1
    assert len(queries) == DIRECTORY_QUERIES
