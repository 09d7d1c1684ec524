"""The audit log (issue 11): admin changes to personal data and every export are
recorded (who, what, when, which fields, never the values) and organisers read them."""

import json

import pytest
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model

from participants.models import ExportLog, Participant, Registration
from participants.roles import ORGANISER, REGISTRATION_DESK, VIEWER
from tests.factories import (
    StaffUserFactory,
    WorldCafeFactory,
    WorldCafeSeatFactory,
    WorldCafeTableFactory,
)
from tests.participants.staff_data import build_dialogue
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
SECRET_NEED = "Severe peanut allergy, carries adrenaline"


def form_data(response) -> dict:
    """What the browser would post back from an admin change form, unchanged."""
    data = {}
    all_forms = [response.context["adminform"].form]
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{n}": management[n].value() for n in management.fields})
        all_forms.extend(formset.formset.forms)
    for form in all_forms:
        for name in form.fields:
            if form.fields[name].disabled:
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[key] = [v for v in value if v is not None]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = value
    return data


@pytest.fixture
def organiser(client):
    user = StaffUserFactory(roles=[ORGANISER])
    sign_in_staff(client, user)
    return user


def entries_text() -> str:
    return json.dumps(list(ExportLog.objects.values("kind", "fields", "filters", "object_id")))


def test_changing_a_profile_in_the_admin_names_the_fields_not_the_values(client, organiser):
    dialogue = build_dialogue()
    participant = dialogue.ana.participant
    url = f"/admin/participants/participant/{participant.pk}/change/"
    data = form_data(client.get(url))

    response = client.post(url, {**data, "dietary_needs": SECRET_NEED})

    assert response.status_code == 302, response.content.decode()[:2000]
    participant.refresh_from_db()
    assert participant.dietary_needs == SECRET_NEED
    entry = ExportLog.objects.get(action=ExportLog.Action.CHANGE)
    assert (entry.user, entry.kind, entry.object_id) == (
        organiser,
        "participants.participant",
        str(participant.pk),
    )
    assert "Dietary needs" in entry.fields
    assert SECRET_NEED not in entries_text()
    assert "Vegan" not in entries_text()  # the old value neither


def test_changing_a_registration_and_deciding_one_are_logged(client, organiser):
    dialogue = build_dialogue()
    url = f"/admin/participants/registration/{dialogue.ben.pk}/change/"
    data = form_data(client.get(url))

    client.post(url, {**data, "motivation": "Personal reasons we must not log"})
    client.post(
        "/admin/participants/registration/",
        {
            "action": "approve",
            "apply": "1",
            "reason": "",
            helpers.ACTION_CHECKBOX_NAME: [dialogue.ben.pk],
        },
    )

    assert Registration.objects.get(pk=dialogue.ben.pk).status == "approved"
    logged = list(ExportLog.objects.order_by("pk").values_list("kind", "object_id", "fields"))
    assert logged == [
        ("participants.registration", str(dialogue.ben.pk), ["Why you want to take part"]),
        ("participants.registration", str(dialogue.ben.pk), ["status"]),
    ]
    assert "Personal reasons" not in entries_text()


def test_user_changes_and_password_changes_are_logged_without_the_password(client, organiser):
    organiser.is_superuser = True  # the organiser role does not edit accounts
    organiser.save()
    person = get_user_model().objects.create_user("someone", "someone@example.org", "x-old-pass-1")
    url = f"/admin/auth/user/{person.pk}/password/"

    response = client.post(
        url, {"password1": "n3w-Secret-passphrase", "password2": "n3w-Secret-passphrase"}
    )

    assert response.status_code == 302
    entry = ExportLog.objects.get(kind="auth.user", object_id=str(person.pk))
    assert entry.action == "change" and entry.fields
    assert "n3w-Secret" not in entries_text()


def test_deleting_a_person_is_logged(client, organiser):
    dialogue = build_dialogue()
    participant = dialogue.dee.participant

    client.post(f"/admin/participants/participant/{participant.pk}/delete/", {"post": "yes"})

    assert not Participant.objects.filter(pk=participant.pk).exists()
    entry = ExportLog.objects.get(action=ExportLog.Action.DELETE)
    assert (entry.kind, entry.object_id) == ("participants.participant", str(participant.pk))


def test_the_admin_csvs_of_groups_and_world_cafe_are_logged(client, organiser):
    dialogue = build_dialogue()
    cafe = WorldCafeFactory(session__event=dialogue.event, session__day=dialogue.days[2])
    WorldCafeSeatFactory(
        table=WorldCafeTableFactory(cafe=cafe), participant=dialogue.ana.participant
    )

    client.get(f"/admin/participants/group/export/{dialogue.event.pk}/groups.csv")
    client.get(f"/admin/participants/worldcafe/{cafe.pk}/plan.csv")

    logged = list(
        ExportLog.objects.order_by("pk").values_list("action", "kind", "file_format", "user")
    )
    assert logged == [
        ("export", "groups", "csv", organiser.pk),
        ("export", "world-cafe", "csv", organiser.pk),
    ]
    assert all(entry.row_count >= 1 for entry in ExportLog.objects.all())


def test_organisers_read_the_log_and_nobody_edits_it(client, organiser):
    dialogue = build_dialogue()
    client.get(f"/staff/exports/attendees.csv?event={dialogue.event.pk}")
    entry = ExportLog.objects.get()

    listing = client.get("/admin/participants/exportlog/")
    detail = client.get(f"/admin/participants/exportlog/{entry.pk}/change/")
    edit = client.post(f"/admin/participants/exportlog/{entry.pk}/change/", {"kind": "x"})
    delete = client.post(f"/admin/participants/exportlog/{entry.pk}/delete/", {"post": "yes"})

    assert listing.status_code == detail.status_code == 200
    assert "attendees" in listing.content.decode()
    assert edit.status_code == 403 and delete.status_code == 403
    assert ExportLog.objects.get().kind == "attendees"


@pytest.mark.parametrize("role", [REGISTRATION_DESK, VIEWER])
def test_other_roles_do_not_read_the_log(client, role):
    sign_in_staff(client, StaffUserFactory(roles=[role]))

    assert client.get("/admin/participants/exportlog/").status_code == 403


def test_an_admin_group_export_is_logged_and_guarded(client, organiser):
    dialogue = build_dialogue()
    participant = dialogue.ana.participant
    participant.organisation = "=HYPERLINK(1)"
    participant.save(update_fields=["organisation"])

    response = client.get(f"/admin/participants/group/export/{dialogue.event.pk}/groups.csv")

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    entry = ExportLog.objects.get()
    assert (entry.action, entry.kind, entry.file_format, entry.row_count) == (
        "export",
        "groups",
        "csv",
        1,
    )
    assert '"\'=HYPERLINK(1)"' in text and '"=HYPERLINK' not in text
