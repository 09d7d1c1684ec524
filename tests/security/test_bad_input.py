"""Bad input reachable without an account (or with any staff account) answers a clear
4xx page, never a server error: control characters in paths and queries, malformed ids,
admin filters with impossible values."""

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import translation

from participants.roles import ORGANISER
from tests.factories import (
    DocumentFactory,
    DocumentFileFactory,
    EventFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    # A server error is a status to assert on here, not an exception in the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def superuser_client():
    client = Client(raise_request_exception=False)
    return sign_in_staff(client, UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def staff_client():
    client = Client(raise_request_exception=False)
    return sign_in_staff(client, StaffUserFactory(roles=[ORGANISER]))


NUL_PATHS = [
    "/documents/1/download/e\x00n/",
    "/documents/1/thumbnail/\x00/",
    "/calendar/abc\x00def.ics",
    "/invitation/tok\x00en/",
    "/me/notifications/unsubscribe/\x00/",
    "/agenda/\x00",
    "/documents/%00/",
]


@pytest.mark.parametrize("path", NUL_PATHS)
def test_nul_in_path_is_400_with_a_page(anonymous, path):
    response = anonymous.get(path)

    assert response.status_code == 400
    assert b"control characters" in response.content
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "query",
    ["q=a%00b", "category=%00", "page=%01", "lang=%7f", "%00=1", "q=%C2%85"],
)
def test_control_characters_in_the_query_are_400(anonymous, query):
    response = anonymous.get(f"/documents/?{query}")

    assert response.status_code == 400


def test_the_refusal_page_is_translated(anonymous):
    response = anonymous.get("/calendar/\x00.ics", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 400
    with translation.override("es"):
        expected = translation.gettext(
            "The address contains characters that are not allowed (control characters)."
        )
    assert expected != "The address contains characters that are not allowed (control characters)."
    assert expected.encode() in response.content


def test_nul_in_a_real_document_download_path(anonymous):
    document = DocumentFactory(access="public", is_published=True)
    DocumentFileFactory(document=document, language="en")

    response = anonymous.get(f"/documents/{document.pk}/download/en\x00/")

    assert response.status_code == 400


@pytest.mark.parametrize("value", ["²", "١٢", "1.5", "-1", "99999999999999999999", "abc"])
def test_staff_dashboard_event_parameter_never_crashes(staff_client, value):
    EventFactory()

    response = staff_client.get("/staff/", {"event": value})

    assert response.status_code == 404


def test_staff_dashboard_with_a_real_event_still_works(staff_client):
    event = EventFactory()

    assert staff_client.get("/staff/", {"event": str(event.pk)}).status_code == 200
    assert staff_client.get("/staff/").status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "1e3"])
def test_staff_exports_event_parameter_never_crashes(staff_client, value):
    response = staff_client.get("/staff/exports/attendees.csv", {"event": value})

    assert response.status_code == 400


def admin_lists_with_dates() -> list[tuple[str, str]]:
    """Every change list of the admin with a date hierarchy, found from the registry."""
    return sorted(
        (f"/admin/{model._meta.app_label}/{model._meta.model_name}/", model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    )


ADMIN_LISTS_WITH_DATES = admin_lists_with_dates()


def test_the_date_hierarchies_are_found():
    assert ("/admin/outbox/outboxmessage/", "created_at") in ADMIN_LISTS_WITH_DATES
    assert len(ADMIN_LISTS_WITH_DATES) >= 4


@pytest.mark.parametrize("url,field", ADMIN_LISTS_WITH_DATES)
@pytest.mark.parametrize(
    "params",
    [
        {"__year": "99999"},
        {"__year": "0"},
        {"__year": "9999", "__month": "12"},
        {"__year": "9999", "__month": "12", "__day": "31"},
        {"__year": "2024", "__month": "13"},
        {"__year": "2024", "__month": "2", "__day": "30"},
        {"__year": "²"},
        {"__year": "-5"},
    ],
)
def test_admin_date_filters_out_of_range_never_crash(superuser_client, url, field, params):
    query = {f"{field}{suffix}": value for suffix, value in params.items()}

    response = superuser_client.get(url, query)

    assert response.status_code in {200, 302, 400}, response.status_code


@pytest.mark.parametrize(
    "url,query",
    [
        ("/admin/outbox/outboxmessage/", "kind=%00"),
        ("/admin/outbox/outboxmessage/", "q=%00"),
        ("/admin/participants/registration/", "event__id__exact=%00"),
        ("/admin/participants/registration/", "status__exact=a%00"),
        ("/admin/events/session/", "o=%00"),
    ],
)
def test_admin_filters_with_nul_are_400(superuser_client, url, query):
    response = superuser_client.get(f"{url}?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "url,query",
    [
        ("/admin/participants/registration/", {"event__id__exact": "²"}),
        ("/admin/participants/registration/", {"event__id__exact": "99999999999999999999"}),
        ("/admin/participants/registration/", {"status__exact": "nonsense"}),
        ("/admin/participants/registration/", {"country": "ZZ"}),
        ("/admin/events/session/", {"o": "99.x"}),
        ("/admin/events/session/", {"p": "999999"}),
        ("/admin/documents/document/", {"files__language__exact": "xx"}),
    ],
)
def test_admin_filters_with_odd_values_never_crash(superuser_client, url, query):
    response = superuser_client.get(url, query)

    assert response.status_code < 500, response.status_code
