from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events.models import Event, EventDay, Room, Session
from participants.models import Group, Invitation


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_creates_the_five_day_dialogue():
    load()

    event = Event.objects.get(is_current=True)
    days = list(event.days.order_by("date"))
    assert event.name == "San José Dialogue"
    assert [d.date.isoformat() for d in days] == [
        "2024-06-03",
        "2024-06-04",
        "2024-06-05",
        "2024-06-06",
        "2024-06-07",
    ]
    assert [d.is_public for d in days] == [False, True, False, False, False]
    kinds = set(event.sessions.values_list("kind", flat=True))
    assert {"plenary", "working_groups", "closed_meeting", "world_cafe", "open_session"} <= kinds
    assert event.sessions.filter(day=days[1], audience="public").count() >= 5
    closed = event.sessions.filter(kind="closed_meeting")
    assert closed.exists() and all(s.groups.exists() for s in closed)
    assert Group.objects.filter(event=event, kind="closed").count() == 4


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    load()
    counts = [m.objects.count() for m in (Event, EventDay, Room, Session, Group)]
    load()
    assert [m.objects.count() for m in (Event, EventDay, Room, Session, Group)] == counts


@pytest.mark.django_db
def test_load_demo_lays_the_programme_from_another_first_day():
    load()
    opening = Session.objects.get(title_en="Opening plenary")
    sessions_before = Session.objects.count()
    load("--start", "2026-12-07")

    event = Event.objects.get(is_current=True)
    opening_moved = Session.objects.get(pk=opening.pk)
    assert event.start_date.isoformat() == "2026-12-07"
    assert event.end_date.isoformat() == "2026-12-11"
    assert opening_moved.starts_at.isoformat() == "2026-12-07T15:00:00+00:00"
    assert EventDay.objects.filter(event=event).count() == 5
    assert Session.objects.count() == sessions_before


@pytest.mark.django_db
def test_load_demo_refuses_a_bad_start_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        load("--start", "7 June")


@pytest.mark.django_db
def test_printed_admin_credentials_sign_in_to_the_admin(client):
    output = load("--admin-password", "a-long-demo-password")
    assert "admin@example.org / a-long-demo-password" in output

    response = client.post(
        "/accounts/login/", {"login": "admin@example.org", "password": "a-long-demo-password"}
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/accounts/login/"
    assert "login" in response.content.decode()


@pytest.mark.django_db
def test_load_demo_invites_people_with_working_links(client):
    load()

    invitations = Invitation.objects.filter(event__is_current=True, used_at__isnull=True)
    assert invitations.count() == 12
    assert all(i.email.endswith("@example.org") for i in invitations)
    assert client.get(invitations[0].get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_demo_person_signs_in_once_staff_set_a_password_in_the_admin(client):
    """The README's way to sign in as a demo person: set a password in the admin."""
    from django.contrib.auth import get_user_model

    load("--admin-password", "a-long-demo-password")
    delegate = get_user_model().objects.get(email="delegate001@example.org")
    client.post(
        "/accounts/login/", {"login": "admin@example.org", "password": "a-long-demo-password"}
    )
    response = client.post(
        f"/admin/auth/user/{delegate.pk}/password/",
        {"password1": "demo-delegate-passphrase", "password2": "demo-delegate-passphrase"},
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")

    response = client.post(
        "/accounts/login/",
        {"login": "delegate001@example.org", "password": "demo-delegate-passphrase"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/me/"
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_load_demo_has_certificate_templates_letters_and_people_to_certify():
    from participants.models import Certificate, CertificateTemplate, LetterRequest
    from participants.services.certificates import issue_certificate

    load()
    load()  # idempotent: no second set of letters

    event = Event.objects.get(is_current=True)
    assert set(CertificateTemplate.objects.filter(event=event).values_list("kind", flat=True)) == {
        "attendance",
        "invitation_letter",
    }
    assert LetterRequest.objects.filter(status="issued").count() == 4
    assert LetterRequest.objects.filter(status="pending").count() == 2
    assert Certificate.objects.filter(kind="invitation_letter").count() == 4
    attended = event.registrations.filter(check_ins__isnull=False).distinct()
    assert attended.count() > 50
    assert issue_certificate(registration=attended.first()).revoked_at is None
