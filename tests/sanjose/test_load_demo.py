import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events.models import Event, EventDay, Room, Session
from participants.models import Group, Invitation
from tests.signin import totp_code

TOTP_SECRET = (
    "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the demo admin's authenticator app, for the tests
)


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
def test_printed_admin_credentials_sign_in_to_the_admin(client, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed just before a 30-second boundary
    output = load("--admin-password", "a-long-demo-password")
    assert "admin@example.org / a-long-demo-password" in output
    secret = re.search(r"set up with the key ([A-Z2-7]+)", output).group(1)

    response = client.post(
        "/accounts/login/", {"login": "admin@example.org", "password": "a-long-demo-password"}
    )
    assert response.headers["Location"] == "/accounts/2fa/authenticate/"
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_printed_recovery_code_signs_the_admin_in(client):
    output = load(
        "--admin-password", "a-long-demo-password", "--admin-totp-secret", "JBSWY3DPEHPK3PXP"
    )
    assert "JBSWY3DPEHPK3PXP" in output
    code = output.split("each works once): ", 1)[1].split()[0]

    client.post(
        "/accounts/login/", {"login": "admin@example.org", "password": "a-long-demo-password"}
    )
    client.post("/accounts/2fa/authenticate/", {"code": code})

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
def test_a_demo_person_signs_in_once_staff_set_a_password_in_the_admin(client, settings):
    """The README's way to sign in as a demo person: set a password in the admin."""
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed just before a 30-second boundary
    from django.contrib.auth import get_user_model

    load("--admin-password", "a-long-demo-password", "--admin-totp-secret", TOTP_SECRET)
    delegate = get_user_model().objects.get(email="delegate001@example.org")
    client.post(
        "/accounts/login/", {"login": "admin@example.org", "password": "a-long-demo-password"}
    )
    # Staff pass the second step with the code of the authenticator app load_demo set up.
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
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
    from participants.certificates.services import issue_certificate
    from participants.models import Certificate, CertificateTemplate, LetterRequest

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


@pytest.mark.django_db
def test_load_demo_has_speaker_pages_with_portraits_shown_only_by_consent(client, private_media):
    from events.models import Speaker

    load()

    shown = set(
        Speaker.objects.filter(photo_consent=True).exclude(photo="").values_list("name", flat=True)
    )
    on_file = Speaker.objects.get(name="Grace Example")
    ana = Speaker.objects.get(name="Ana Ejemplo")
    page = client.get(ana.get_absolute_url()).content.decode()
    assert shown == {"Ana Ejemplo", "Amara Demo"}
    assert on_file.photo and not on_file.shows_photo
    assert f"/agenda/speakers/{ana.pk}/photo/" in page and "what the 2023 UN reports say" in page
    assert client.get(f"/agenda/speakers/{on_file.pk}/photo/").status_code == 404


@pytest.mark.django_db
def test_load_demo_has_feedback_mostly_anonymous_with_results_for_staff(client, private_media):
    from participants.models import FeedbackAnswer, FeedbackReceipt
    from participants.roles import ORGANISER
    from tests.factories import StaffUserFactory
    from tests.signin import sign_in_staff

    load()
    load()  # idempotent: no second answer for anyone

    answers = FeedbackAnswer.objects.filter(event__is_current=True)
    assert answers.count() == FeedbackReceipt.objects.count() > 0
    assert answers.filter(participant=None).count() > answers.exclude(participant=None).count()
    sign_in_staff(client, StaffUserFactory(roles=[ORGANISER]))
    results = client.get("/staff/feedback/").context["results"]
    assert results[0].session is None and results[0].count == answers.filter(session=None).count()
    assert len(results) > 1
