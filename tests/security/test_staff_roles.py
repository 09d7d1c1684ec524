"""Staff roles (issue 11): every staff URL and admin export × every role.

Found: "/staff/ checks only is_staff": a staff account with no permission at all exported
every attendee's email and needs, searched people at check-in and read staff-only
documents. Each staff page now asks for its own permission; the roles are groups.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, Permission

from documents.models import Document
from participants.desk import services as checkin
from participants.desk.services import check_in_code
from participants.models import ExportLog
from participants.roles import CONTENT_EDITOR, ORGANISER, REGISTRATION_DESK, ROLES, VIEWER
from sanjose import clock
from tests.factories import (
    DocumentFactory,
    StaffUserFactory,
    WorldCafeFactory,
    WorldCafeSeatFactory,
    WorldCafeTableFactory,
)
from tests.participants.staff_data import build_dialogue
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db

NONE = "no role"
ROLE_NAMES = [ORGANISER, REGISTRATION_DESK, CONTENT_EDITOR, VIEWER, NONE]

# Who gets the page (everyone else: 403 for staff pages, 404 where the object must
# not exist for them).
ALLOWED = {
    "dashboard": {ORGANISER, REGISTRATION_DESK, VIEWER},
    "exports page": {ORGANISER},
    "attendees csv": {ORGANISER},
    "attendees xlsx": {ORGANISER},
    "catering csv": {ORGANISER},
    "accessibility csv": {ORGANISER},
    "check-in desk": {ORGANISER, REGISTRATION_DESK},
    "check-in search": {ORGANISER, REGISTRATION_DESK},
    "photo": {ORGANISER, REGISTRATION_DESK, VIEWER},
    "staff document": {ORGANISER, CONTENT_EDITOR, VIEWER},
    "admin group csv": {ORGANISER},
    "admin world café csv": {ORGANISER},
    "admin outbox": {ORGANISER},
    "admin registrations": {ORGANISER, REGISTRATION_DESK, VIEWER},
    "admin export log": {ORGANISER},
    "admin certificate templates": {ORGANISER, CONTENT_EDITOR, VIEWER},
    "admin certificates": {ORGANISER},
    "admin letter requests": {ORGANISER},
}
DENIED = {"photo": 404, "staff document": 404}


@pytest.fixture
def site(private_media):
    dialogue = build_dialogue()
    participant = dialogue.ana.participant
    participant.photo.save("ana.jpg", _jpeg(), save=True)
    cafe = WorldCafeFactory(session__event=dialogue.event, session__day=dialogue.days[2])
    WorldCafeSeatFactory(table=WorldCafeTableFactory(cafe=cafe), participant=participant)
    staff_document = DocumentFactory(
        event=dialogue.event,
        access=Document.Access.STAFF,
        is_published=True,
        published_at=clock.now(),
        title_en="Security plan for the venue",
    )
    event = dialogue.event.pk
    urls = {
        "dashboard": "/staff/",
        "exports page": "/staff/exports/",
        "attendees csv": f"/staff/exports/attendees.csv?event={event}",
        "attendees xlsx": f"/staff/exports/attendees.xlsx?event={event}",
        "catering csv": f"/staff/exports/catering.csv?event={event}",
        "accessibility csv": f"/staff/exports/accessibility.csv?event={event}",
        "check-in desk": "/staff/checkin/",
        "check-in search": "/staff/checkin/?q=Ana",
        "photo": f"/photos/{participant.pk}/",
        "staff document": f"/documents/{staff_document.pk}/",
        "admin group csv": f"/admin/participants/group/export/{event}/groups.csv",
        "admin world café csv": f"/admin/participants/worldcafe/{cafe.pk}/plan.csv",
        "admin outbox": "/admin/outbox/outboxmessage/",
        "admin registrations": "/admin/participants/registration/",
        "admin export log": "/admin/participants/exportlog/",
        "admin certificate templates": "/admin/participants/certificatetemplate/",
        "admin certificates": "/admin/participants/certificate/",
        "admin letter requests": "/admin/participants/letterrequest/",
    }
    return dialogue, urls


def _jpeg():
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


def staff_in(role: str):
    return StaffUserFactory(roles=[] if role == NONE else [role])


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("page", list(ALLOWED))
def test_every_staff_url_answers_only_the_roles_that_need_it(client, site, page, role):
    _, urls = site
    sign_in_staff(client, staff_in(role))

    response = client.get(urls[page])

    if role in ALLOWED[page]:
        assert response.status_code == 200, (page, role)
    else:
        assert response.status_code == DENIED.get(page, 403), (page, role)
        assert b"Ana Example" not in body(response)
        assert b"Security plan" not in body(response)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_checking_someone_in_needs_the_desk_permission(client, site, role, monkeypatch):
    dialogue, _ = site
    monday_morning = datetime(2024, 6, 3, 8, 30, tzinfo=ZoneInfo("America/Costa_Rica"))
    monkeypatch.setattr(checkin.clock, "now", lambda: monday_morning)
    sign_in_staff(client, staff_in(role))

    response = client.post("/staff/checkin/", {"code": check_in_code(dialogue.ana)})

    may = role in {ORGANISER, REGISTRATION_DESK}
    assert response.status_code == (200 if may else 403)
    assert dialogue.ana.check_ins.exists() is may


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_the_admin_export_action_needs_the_export_permission(client, site, role):
    dialogue, _ = site
    sign_in_staff(client, staff_in(role))

    response = client.post(
        "/admin/participants/registration/",
        {"action": "export_selected_csv", helpers.ACTION_CHECKBOX_NAME: [dialogue.ana.pk]},
    )

    if role == ORGANISER:
        assert b"Ana Example" in body(response)
        assert ExportLog.objects.get().row_count == 1
    else:
        assert not ExportLog.objects.exists()
        assert not response.get("Content-Type", "").startswith("text/csv")


@pytest.mark.parametrize("role", [REGISTRATION_DESK, VIEWER, CONTENT_EDITOR, NONE])
def test_only_organisers_are_offered_the_export_actions(client, site, role):
    sign_in_staff(client, staff_in(role))

    html = client.get("/admin/participants/registration/").content.decode()

    assert "export_selected_csv" not in html
    assert "export_selected_xlsx" not in html


def test_the_registration_desk_may_approve_and_the_viewer_may_not(client, site):
    dialogue, _ = site
    for role, may in [(VIEWER, False), (REGISTRATION_DESK, True)]:
        sign_in_staff(client, staff_in(role))
        html = client.get("/admin/participants/registration/").content.decode()
        assert ('value="approve"' in html) is may, role


def test_every_admin_action_declares_the_permission_it_needs():
    undeclared = []
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.actions or []:
            function = action if callable(action) else getattr(model_admin, action)
            if not getattr(function, "allowed_permissions", None):
                undeclared.append(f"{model._meta.label}.{getattr(function, '__name__', action)}")
    assert undeclared == []


def test_the_roles_exist_with_exactly_their_permissions():
    for name, wanted in ROLES.items():
        group = Group.objects.get(name=name)
        have = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert have == set(wanted), name


def test_no_role_can_raise_its_own_privileges():
    raising = Permission.objects.filter(
        content_type__app_label="auth", codename__in=["change_user", "add_user", "change_group"]
    )
    assert not Group.objects.filter(permissions__in=raising).exists()


def test_the_viewer_role_exports_nothing():
    assert "participants.export_attendees" not in ROLES[VIEWER]
    assert not {p for p in ROLES[VIEWER] if p.split(".")[1].startswith(("add_", "change_"))}
