import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from participants.models import BulkJob, Invitation, Registration, RegistrationType
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    EventFactory,
    InvitationFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    UserFactory,
)
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
S = Registration.Status
CHANGELIST = "/admin/participants/registration/"
IMPORT = "/admin/participants/invitation/import/"


@pytest.fixture
def staff_client(client):
    return sign_in_staff(client, UserFactory(username="staff", is_staff=True, is_superuser=True))


@pytest.fixture
def event():
    return EventFactory(name="San José Dialogue", is_current=True)


@pytest.fixture
def full(event):
    return RegistrationTypeFactory(
        event=event, slug="full-dialogue", name_en="Full Dialogue", capacity=2
    )


def listed(client, **params) -> list[Registration]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_changelist_filters_by_event_type_state_country_sector_and_subregion(
    staff_client, event, full
):
    other_type = RegistrationTypeFactory(event=event, slug="open-day")
    peru = RegistrationFactory(
        event=event,
        type=full,
        participant=ParticipantFactory(country="PE", subregion="south_america", sector="media"),
    )
    jamaica = RegistrationFactory(
        event=event,
        type=other_type,
        status=S.APPROVED,
        participant=ParticipantFactory(country="JM", subregion="caribbean"),
    )
    elsewhere = RegistrationFactory(event=EventFactory())

    assert listed(staff_client, event__id__exact=event.pk) == [jamaica, peru]
    assert listed(staff_client, type__id__exact=other_type.pk) == [jamaica]
    assert listed(staff_client, status__exact="approved") == [jamaica]
    assert listed(staff_client, country="PE") == [peru]
    assert listed(staff_client, participant__sector__exact="media") == [peru]
    assert listed(staff_client, participant__subregion__exact="caribbean") == [jamaica]
    assert len(listed(staff_client)) == 3
    assert elsewhere in listed(staff_client)


def test_changelist_searches_name_email_and_organisation(staff_client, event, full):
    alba = RegistrationFactory(
        event=event,
        type=full,
        participant=ParticipantFactory(
            badge_name="Alba Example", organisation="Harbour Network", user__username="alba"
        ),
    )
    RegistrationFactory(event=event, type=full)

    assert listed(staff_client, q="Alba") == [alba]
    assert listed(staff_client, q="alba@example.org") == [alba]
    assert listed(staff_client, q="Harbour") == [alba]


def test_changelist_query_count_does_not_grow(staff_client, event, full):
    counts = []
    for size, more in ((3, 3), (30, 27)):
        RegistrationFactory.create_batch(more, event=event, type=full)
        with CaptureQueriesContext(connection) as queries:
            assert len(listed(staff_client)) == size
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_bulk_approve_asks_for_a_reason_then_approves_while_places_last(
    staff_client, event, full, django_capture_on_commit_callbacks
):
    registrations = RegistrationFactory.create_batch(3, event=event, type=full)
    selected = [r.pk for r in registrations]

    confirm = staff_client.post(CHANGELIST, {"action": "approve", "_selected_action": selected})
    assert confirm.status_code == 200
    assert Registration.objects.filter(status=S.APPROVED).count() == 0
    # The confirmation lists who is chosen and posts the same choice back with the reason.
    html = confirm.content.decode()
    assert "Selected (3):" in html and str(registrations[0].participant) in html
    assert all(f'name="_selected_action" value="{pk}"' in html for pk in selected)
    assert '<input type="hidden" name="action" value="approve">' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": selected, "apply": "1", "reason": "Panel"},
            follow=True,
        )

    assert Registration.objects.filter(status=S.APPROVED).count() == 2
    assert Registration.objects.filter(status=S.SUBMITTED).count() == 1
    texts = [str(m) for m in response.context["messages"]]
    assert texts[0] == "Approve: 2 registrations done."
    assert "“Full Dialogue” is full" in texts[1]
    assert RegistrationType.objects.get(pk=full.pk).approved_count == 2
    assert len(mail.outbox) == 2


def test_bulk_waitlist_and_decline_call_the_services(staff_client, event, full):
    first, second = RegistrationFactory.create_batch(2, event=event, type=full)

    staff_client.post(
        CHANGELIST,
        {"action": "waitlist", "_selected_action": [first.pk], "apply": "1", "reason": "Later"},
    )
    staff_client.post(
        CHANGELIST,
        {"action": "decline", "_selected_action": [second.pk], "apply": "1", "reason": "Full"},
    )

    first.refresh_from_db()
    second.refresh_from_db()
    # Places are free: putting someone on the list is a staff hold, not a queue position.
    assert (first.status, first.on_hold, first.waitlist_position) == (S.WAITLISTED, True, None)
    assert second.status == S.DECLINED
    assert second.changes.last().reason == "Full"


def test_registration_cannot_be_added_or_its_state_edited_in_the_admin(staff_client, full):
    registration = RegistrationFactory(event=full.event, type=full)

    assert staff_client.get("/admin/participants/registration/add/").status_code == 403
    page = staff_client.get(f"/admin/participants/registration/{registration.pk}/change/")
    assert 'name="status"' not in page.content.decode()


def csv_upload(rows: list[list[str]], name="invitees.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([["name", "email", "organisation", "type"], *rows])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows: list[list[str]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Organisation", "Type"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("invitees.xlsx", out.getvalue())


def import_file(client, capture, event, upload, valid_days=30):
    """Post the import form, then read the job's page; the job runs inline when its row
    commits (no broker in unit tests), as under `make run`."""
    with capture(execute=True):
        started = client.post(IMPORT, {"event": event.pk, "file": upload, "valid_days": valid_days})
    assert started.url == f"/admin/participants/bulkjob/{BulkJob.objects.get().pk}/"
    return client.get(started.url)


def outcome(response) -> list[str]:
    return [text for _level, text in response.context["outcome"]]


def test_import_reports_bad_lines_by_number_and_keeps_the_good_ones(
    staff_client, event, full, django_capture_on_commit_callbacks
):
    InvitationFactory(event=event, type=full, email="already@example.org")
    rows = [
        ["Delegate Example 1", "one@example.org", "Example Network", "full-dialogue"],
        ["Delegate Example 2", "not-an-email", "Example Network", "full-dialogue"],
        ["Delegate Example 3", "three@example.org", "", "No such type"],
        ["", "four@example.org", "Example Network", "full-dialogue"],
        ["Delegate Example 5", "already@example.org", "Example Network", "full-dialogue"],
        ["Delegate Example 6", "ONE@example.org", "Example Network", "full-dialogue"],
        ["Delegate Example 7", "seven@example.org", "", "Full Dialogue"],
    ]

    response = import_file(
        staff_client, django_capture_on_commit_callbacks, event, csv_upload(rows)
    )

    assert response.status_code == 200
    assert response.context["job"].result["refused"] == [
        [3, "“not-an-email” is not a valid email address."],
        [4, "“No such type” is not a registration type of this event."],
        [5, "The name is missing."],
        [6, "already@example.org is already invited to this event."],
        [7, "ONE@example.org is already invited to this event."],
    ]
    assert outcome(response) == ["2 invitations created and sent; 5 lines refused."]
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "already@example.org",
        "one@example.org",
        "seven@example.org",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "seven@example.org"]
    assert "/invitation/" in mail.outbox[0].body


def test_import_page_says_nothing_was_imported_when_no_line_went_in(
    staff_client, event, full, django_capture_on_commit_callbacks
):
    rows = [["Delegate Example 1", "not-an-email", "Example Network", "full-dialogue"]]

    response = import_file(
        staff_client, django_capture_on_commit_callbacks, event, csv_upload(rows)
    )

    body = response.content.decode()
    assert "No line was imported" in body
    assert "other" not in body.split('id="import-errors"')[1]
    assert outcome(response) == ["0 invitations created and sent; 1 line refused."]
    assert not Invitation.objects.exists()


def test_import_page_counts_lines_in_the_singular_and_plural(
    staff_client, event, full, django_capture_on_commit_callbacks
):
    rows = [
        ["Delegate Example 1", "one@example.org", "Example Network", "full-dialogue"],
        ["Delegate Example 2", "bad", "Example Network", "full-dialogue"],
        ["Delegate Example 3", "also-bad", "Example Network", "full-dialogue"],
    ]

    response = import_file(
        staff_client, django_capture_on_commit_callbacks, event, csv_upload(rows)
    )

    assert "The other line was imported." in response.content.decode()
    assert outcome(response) == ["1 invitation created and sent; 2 lines refused."]


def test_import_speaks_the_language_of_whoever_started_it(
    staff_client, event, full, django_capture_on_commit_callbacks
):
    rows = [
        ["Delegate Example 1", "one@example.org", "Example Network", "full-dialogue"],
        ["Delegate Example 2", "bad", "Example Network", "full-dialogue"],
    ]
    staff_client.cookies["django_language"] = "es"

    response = import_file(
        staff_client, django_capture_on_commit_callbacks, event, csv_upload(rows)
    )

    assert response.context["job"].result["refused"] == [
        [3, "“bad” no es una dirección de correo electrónico válida."]
    ]
    assert outcome(response) == ["1 invitación creada y enviada; 1 línea rechazada."]


def test_import_accepts_a_thousand_row_xlsx_in_chunks(
    staff_client, event, full, django_capture_on_commit_callbacks
):
    rows = [
        [
            f"Delegate Example {n:04d}",
            f"delegate{n:04d}@example.org",
            "Example Network",
            "full-dialogue",
        ]
        for n in range(1, 1001)
    ]
    rows[499][1] = "broken"

    response = import_file(
        staff_client, django_capture_on_commit_callbacks, event, xlsx_upload(rows), valid_days=14
    )

    job = response.context["job"]
    assert (job.state, job.position, job.total, job.payload) == ("done", 1000, 1000, {})
    assert job.result == {
        "created": 999,
        "refused": [[501, "“broken” is not a valid email address."]],
    }
    assert Invitation.objects.filter(event=event).count() == 999
    assert OutboxMessage.objects.filter(kind="invitation").count() == 999


def test_import_refuses_a_file_without_the_columns(staff_client, event):
    bad = SimpleUploadedFile("x.csv", b"who,where\nA,B\n")

    response = staff_client.post(IMPORT, {"event": event.pk, "file": bad, "valid_days": 30})

    assert "missing: name, email, organisation, type" in response.context["form"].errors["file"][0]
    assert not Invitation.objects.exists()


def test_import_refuses_other_file_types(staff_client, event):
    bad = SimpleUploadedFile("x.pdf", b"%PDF-1.4")

    response = staff_client.post(IMPORT, {"event": event.pk, "file": bad, "valid_days": 30})

    assert response.context["form"].errors["file"] == ["Upload a .csv or .xlsx file."]


def test_capacity_cannot_go_below_the_approved_count(staff_client, full):
    RegistrationType.objects.filter(pk=full.pk).update(approved_count=2)
    url = f"/admin/participants/registrationtype/{full.pk}/change/"
    data = {
        "event": full.event.pk,
        "slug": full.slug,
        "name_en": full.name_en,
        "capacity": 1,
        "position": 0,
    }

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == [
        "2 registrations are already approved: the capacity cannot be lower."
    ]
    assert RegistrationType.objects.get(pk=full.pk).capacity == 2


def test_raising_capacity_in_the_admin_moves_the_waitlist_up(staff_client, full):
    from participants.registration.services.registration import register

    people = ParticipantFactory.create_batch(3)
    RegistrationType.objects.filter(pk=full.pk).update(is_public=True)
    full.refresh_from_db()
    for person in people:
        register(participant=person, registration_type=full, by=person.user)
    url = f"/admin/participants/registrationtype/{full.pk}/change/"
    data = {
        "event": full.event.pk,
        "slug": full.slug,
        "name_en": full.name_en,
        "is_public": "on",
        "capacity": 3,
        "position": 0,
    }

    response = staff_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert Registration.objects.filter(status=S.APPROVED).count() == 3
    assert "1 person moved up from the waiting list." in [
        str(m) for m in response.context["messages"]
    ]


def test_adding_one_invitation_in_the_admin_sends_it(
    staff_client, event, full, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/participants/invitation/add/",
            {
                "event": event.pk,
                "type": full.pk,
                "email": "single@example.org",
                "name": "Single Invitee Example",
                "organisation": "",
                "expires_at_0": "2030-01-01",
                "expires_at_1": "12:00:00",
            },
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.created_by.username == "staff"
    assert mail.outbox[0].to == ["single@example.org"]
    assert invitation.get_absolute_url() in mail.outbox[0].body
