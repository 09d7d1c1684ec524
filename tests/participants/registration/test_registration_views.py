from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from events.models import Event
from participants.models import Participant, Registration, RegistrationType
from participants.roles import CONTENT_EDITOR, REGISTRATION_DESK
from sanjose import clock
from sanjose.pages.consent import PRIVACY_NOTICE_VERSION
from tests.factories import (
    EventFactory,
    InvitationFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.signin import sign_in_staff

pytestmark = pytest.mark.django_db
S = Registration.Status

PROFILE = {
    "badge_name": "Alba Delegate Example",
    "organisation": "Example Network",
    "sector": "civil_society",
    "country": "GT",
    "preferred_language": "es",
    "languages_spoken": ["es", "en"],
    "accessibility_needs": "",
    "dietary_needs": "Vegetarian",
    "accepts_privacy": "on",
    "accepts_conduct": "on",
}


@pytest.fixture
def event():
    return EventFactory(name="San José Dialogue", is_current=True)


@pytest.fixture
def open_day(event):
    return RegistrationTypeFactory(
        event=event, slug="open-day", name_en="Open Day", is_public=True, capacity=1
    )


@pytest.fixture
def full(event):
    return RegistrationTypeFactory(event=event, slug="full-dialogue", name_en="Full Dialogue")


def image_upload(name="me.jpg", size=(1200, 900), fmt="JPEG", exif=True) -> SimpleUploadedFile:
    out = BytesIO()
    image = Image.new("RGB", size, "teal")
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Example Camera Maker"  # Make
        data[0x0112] = 6  # Orientation: rotated
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_signed_in_user_without_profile_is_sent_to_fill_it_in(client):
    client.force_login(UserFactory())

    response = client.get("/register/?type=open-day")

    assert response.status_code == 302
    assert response.headers["Location"] == "/me/profile/?next=%2Fregister%2F%3Ftype%3Dopen-day"


def test_anonymous_register_and_me_go_to_sign_in(client):
    for path in ("/register/", "/me/", "/me/profile/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/accounts/login/?next=")


def test_profile_derives_subregion_records_consent_and_returns_to_next(client, private_media):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/me/profile/?next=/register/", {**PROFILE, "photo": image_upload()})

    assert response.status_code == 302
    assert response.headers["Location"] == "/register/"
    participant = Participant.objects.get(user=user)
    assert participant.subregion == "central_america_mexico"
    assert participant.languages_spoken == ["es", "en"]
    assert participant.privacy_version == PRIVACY_NOTICE_VERSION
    assert participant.privacy_consent_at is not None
    with Image.open(participant.photo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 600
        assert stored.size == (450, 600)  # turned upright from the EXIF orientation
        assert dict(stored.getexif()) == {}
    assert str(participant.photo.path).startswith(str(private_media))


def test_profile_bad_input_keeps_what_was_typed_with_messages_by_the_fields(client):
    client.force_login(UserFactory())
    bad = {**PROFILE, "country": "", "accepts_conduct": ""}

    response = client.post(
        "/me/profile/", {**bad, "photo": SimpleUploadedFile("x.jpg", b"not an image")}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"country", "accepts_conduct", "photo"}
    assert "not an image we can read" in form.errors["photo"][0]
    assert 'value="Alba Delegate Example"' in response.content.decode()
    assert not Participant.objects.exists()


def test_profile_refuses_an_oversized_photo(client, settings):
    client.force_login(UserFactory())
    huge = SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1))

    response = client.post("/me/profile/", {**PROFILE, "photo": huge})

    assert response.context["form"].errors["photo"] == ["The photo is too big: at most 5 MB."]


def test_photo_is_served_to_its_owner_and_staff_only(client, private_media):
    owner = UserFactory()
    client.force_login(owner)
    client.post("/me/profile/", {**PROFILE, "photo": image_upload()})
    url = f"/photos/{owner.participant.pk}/"

    assert client.get(url).status_code == 200
    client.force_login(UserFactory(username="other"))
    assert client.get(url).status_code == 404
    sign_in_staff(client, StaffUserFactory(roles=[REGISTRATION_DESK]))
    assert client.get(url)["Content-Type"] == "image/jpeg"
    # A staff account whose role does not cover profiles gets what anyone else gets.
    sign_in_staff(client, StaffUserFactory(roles=[CONTENT_EDITOR]))
    assert client.get(url).status_code == 404


def test_the_photo_rule_names_whose_photos_each_viewer_may_see(private_media):
    from django.contrib.auth.models import AnonymousUser

    with_photo = [ParticipantFactory(photo="participants/photos/a.jpg") for _ in range(2)]
    ParticipantFactory(photo="")  # no photo: nobody's to see
    visible = Participant.objects.photos_visible_to

    assert list(visible(AnonymousUser())) == []
    assert list(visible(with_photo[0].user)) == [with_photo[0]]
    assert set(visible(StaffUserFactory(roles=[REGISTRATION_DESK]))) == set(with_photo)
    assert list(visible(StaffUserFactory(roles=[CONTENT_EDITOR]))) == []


def test_register_page_preselects_the_type_from_the_query(client, open_day, full):
    client.force_login(ParticipantFactory().user)

    response = client.get("/register/?type=open-day")

    assert response.status_code == 200
    assert response.context["form"]["type"].value() == open_day.pk
    assert "1 place left" in response.content.decode()


def test_register_public_type_then_me_shows_approved(client, open_day):
    participant = ParticipantFactory()
    client.force_login(participant.user)

    response = client.post("/register/", {"type": open_day.pk}, follow=True)

    assert response.redirect_chain == [("/me/", 302)]
    assert response.context["registration"].status == S.APPROVED
    assert 'data-status="approved"' in response.content.decode()


def test_me_shows_the_waitlist_position(client, open_day):
    RegistrationFactory(event=open_day.event, type=open_day, status=S.APPROVED)
    RegistrationType.objects.filter(pk=open_day.pk).update(approved_count=1)
    participant = ParticipantFactory()
    client.force_login(participant.user)
    client.post("/register/", {"type": open_day.pk})
    client.force_login(ParticipantFactory().user)
    client.post("/register/", {"type": open_day.pk})

    response = client.get("/me/")

    assert response.context["waitlist_rank"] == 2
    assert "You are number 2 on the waiting list" in response.content.decode()


def test_register_when_already_registered_goes_to_me(client, open_day):
    registration = RegistrationFactory(event=open_day.event, type=open_day)
    client.force_login(registration.participant.user)

    response = client.post("/register/", {"type": open_day.pk})

    assert response.headers["Location"] == "/me/"
    assert Registration.objects.count() == 1


def test_register_with_a_type_of_another_event_is_refused_by_the_field(client, open_day):
    other = RegistrationTypeFactory(event=EventFactory(), is_public=True)
    client.force_login(ParticipantFactory().user)

    response = client.post("/register/", {"type": other.pk, "motivation": "Kept"})

    assert response.status_code == 200
    assert "type" in response.context["form"].errors
    assert "Kept" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_closed_type_is_not_offered_and_cannot_be_posted(client, event, open_day):
    closed = RegistrationTypeFactory(event=event, closes_at=clock.now() - timedelta(days=1))
    client.force_login(ParticipantFactory().user)

    page = client.get("/register/")
    response = client.post("/register/", {"type": closed.pk})

    assert page.context["types"] == [open_day]
    assert response.context["form"].errors["type"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Registration.objects.exists()


def test_cancel_asks_first_then_cancels(client, open_day):
    participant = ParticipantFactory()
    client.force_login(participant.user)
    client.post("/register/", {"type": open_day.pk})

    assert client.get("/me/cancel/").status_code == 200
    response = client.post("/me/cancel/", {"reason": "Cannot travel"})

    assert response.headers["Location"] == "/me/"
    registration = Registration.objects.get()
    assert registration.status == S.CANCELLED
    assert registration.changes.last().reason == "Cannot travel"
    assert client.post("/me/cancel/").status_code == 404


def test_invitation_page_for_anonymous_offers_signup_with_next(client, event):
    invitation = InvitationFactory(event=event, name="Celia Invitee Example")

    response = client.get(invitation.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Celia Invitee Example" in body
    assert f"/accounts/signup/?next={invitation.get_absolute_url()}" in body


def test_accepting_an_invitation_pre_approves(client, event, full):
    participant = ParticipantFactory()
    invitation = InvitationFactory(event=event, type=full, email=participant.user.email)
    client.force_login(participant.user)

    response = client.post(invitation.get_absolute_url())

    assert response.headers["Location"] == "/me/"
    registration = Registration.objects.get(participant=participant)
    assert (registration.status, registration.invitation) == (S.APPROVED, invitation)


def test_a_forwarded_invitation_link_is_refused_to_another_account(client, event, full):
    invitation = InvitationFactory(event=event, type=full, email="invitee@example.org")
    client.force_login(ParticipantFactory().user)

    page = client.get(invitation.get_absolute_url())
    response = client.post(invitation.get_absolute_url())

    assert page.status_code == response.status_code == 403
    body = response.content.decode()
    assert "sent to another email address" in body
    assert "invitee@example.org" not in body
    assert not Registration.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_used_or_expired_invitation_says_so(client, event):
    used = InvitationFactory(event=event, used_at=clock.now())
    expired = InvitationFactory(event=event, expires_at=clock.now() - timedelta(days=1))
    client.force_login(ParticipantFactory().user)

    used_response = client.post(used.get_absolute_url())
    expired_response = client.get(expired.get_absolute_url())

    assert used_response.status_code == 410
    assert "already been used" in used_response.content.decode()
    assert expired_response.status_code == 410
    assert "expired" in expired_response.content.decode()
    assert not Registration.objects.exists()


def test_unknown_invitation_token_is_404(client):
    assert client.get("/invitation/not-a-token/").status_code == 404


def test_me_page_query_count_does_not_grow_with_history(client, open_day):
    participant = ParticipantFactory()
    client.force_login(participant.user)
    client.post("/register/", {"type": open_day.pk})
    counts = []
    for _ in range(2):
        Event.objects.current()  # cached per content version; this loop has just written
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/me/").status_code == 200
        counts.append(len(queries))
        registration = Registration.objects.get()
        for _ in range(5):
            registration.changes.create(to_status=S.APPROVED, at=clock.now())
    assert counts[0] == counts[1]


def test_a_profile_photo_is_cleaned_once(client, private_media, monkeypatch):
    """The form cleans it (to show its errors by the field); the service keeps that copy."""
    from participants.registration import forms
    from participants.registration.services import profiles

    calls = []
    real = profiles.clean_photo

    def counting(upload):
        calls.append(upload.name)
        return real(upload)

    monkeypatch.setattr(profiles, "clean_photo", counting)
    monkeypatch.setattr(forms, "clean_photo", counting)
    client.force_login(UserFactory())

    response = client.post("/me/profile/", {**PROFILE, "photo": image_upload()})

    assert response.status_code == 302
    assert calls == ["me.jpg"]
    assert Participant.objects.get().photo


def test_the_cancel_page_asks_the_services_whether_a_registration_may_be_cancelled(
    client, event, full, monkeypatch
):
    registration = RegistrationFactory(event=event, type=full, status=S.SUBMITTED)
    client.force_login(registration.participant.user)
    assert client.get("/me/cancel/").status_code == 200

    monkeypatch.setattr(
        "participants.registration.services.registration.may_become", lambda *args: False
    )

    assert client.get("/me/cancel/").status_code == 404


def test_the_invitation_page_refuses_an_expired_or_used_link(client, event, full):
    expired = InvitationFactory(event=event, type=full, expires_at=clock.now() - timedelta(hours=1))
    used = InvitationFactory(event=event, type=full, used_at=clock.now())

    gone = client.get(expired.get_absolute_url())
    taken = client.get(used.get_absolute_url())

    assert (gone.status_code, taken.status_code) == (410, 410)
    assert gone.context["problem"] == "This invitation has expired. Please contact ECPAT staff."
    assert taken.context["problem"] == "This invitation has already been used."
