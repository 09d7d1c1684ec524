"""A person's data: the export holds every row about them, and erasure leaves none.

The map of where personal data lives is checked against an independent walk of every
installed model (`apps.get_models()`): a model added later with a path to the user makes
`test_the_fixture_reaches_every_model_with_a_path_to_the_user` fail until a row for it
is added to `person_everywhere` below, so the export and erasure tests cover it too.
"""

import json
import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from django.apps import apps
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client

from participants.certificates.services import issue_certificate
from participants.directory.services import set_directory_listing
from participants.models import (
    Announcement,
    AnonymousCount,
    BulkJob,
    ConsentRecord,
    ExportLog,
    FeedbackAnswer,
    FeedbackReceipt,
    LetterRequest,
    Membership,
    Participant,
    Registration,
    RegistrationChange,
    RegistrationType,
)
from participants.privacy.selectors import personal_rows
from participants.privacy.services import erase_account, export_personal_data
from sanjose import clock
from sanjose.outbox.models import OutboxMessage
from tests.factories import (
    CheckInFactory,
    DocumentFactory,
    EventFactory,
    GroupFactory,
    InvitationFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    RegistrationTypeFactory,
    SessionFactory,
    SessionSignupFactory,
    SpeakerFactory,
    StaffUserFactory,
    TopicPreferenceFactory,
    UserFactory,
    WorldCafeSeatFactory,
    WorldCafeTableFactory,
)
from tests.signin import give_authenticator, totp_code

pytestmark = pytest.mark.django_db
S = Registration.Status
CANARY = "qzcanary"
EMAIL = "qzcanary.person@example.org"
PASSWORD = "correct-horse-battery"
User = get_user_model()


CASCADING = {models.CASCADE, models.PROTECT, models.RESTRICT}


def models_with_a_path_to_the_user() -> set[str]:
    """An independent walk: models with a chain of relations to the user (through rows
    that go with the person; a row that only mentions them, such as a document they
    uploaded, is reached but not walked through), or with an email field."""
    everything = apps.get_models(include_auto_created=True)
    owned, reached = {User}, {User}
    grew = True
    while grew:
        grew = False
        for model in everything:
            for f in model._meta.concrete_fields:
                if not (f.is_relation and f.related_model in owned):
                    continue
                reached.add(model)
                if f.remote_field.on_delete in CASCADING and model not in owned:
                    owned.add(model)
                    grew = True
    # Shared content that personal rows point *to* (events, types, sessions) has no
    # path to the user; what points back to them is what we walk.
    for model in everything:
        if any(isinstance(f, models.EmailField) for f in model._meta.concrete_fields):
            reached.add(model)
    return {m._meta.label_lower for m in reached}


def png(name="p.jpg") -> ContentFile:
    return ContentFile(b"\xff\xd8\xff" + CANARY.encode() * 10, name=name)


@pytest.fixture
def person_everywhere(private_media):
    """One person (a staff member too, so that every "mentions" relation is used) with a
    row in every model that can hold something about them, canary text in every personal
    field; and a second person who must be left untouched."""
    today = clock.now().date()
    upcoming = EventFactory(
        start_date=today + timedelta(days=30), end_date=today + timedelta(days=34)
    )
    past = EventFactory(start_date=date(2023, 3, 1), end_date=date(2023, 3, 3))
    user = UserFactory(
        username="qzcanary", email=EMAIL, first_name="Qzcanary", last_name="Qzcanary", is_staff=True
    )
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    second = EmailAddress.objects.create(user=user, email="qzcanary.home@example.org")
    EmailConfirmation.objects.create(email_address=second, key="qzcanary-key", sent=clock.now())
    user.groups.add(AuthGroup.objects.create(name="Desk"))
    user.user_permissions.add(Permission.objects.get(codename="view_participant"))
    participant = ParticipantFactory(
        user=user,
        badge_name="Qzcanary Person",
        organisation="Qzcanary Network",
        accessibility_needs="qzcanary needs a ramp",
        dietary_needs="qzcanary vegan",
        sector="government",
        subregion="caribbean",
    )
    participant.photo.save("qzcanary.jpg", png(), save=True)
    set_directory_listing(
        participant=participant, listed=True, bio="qzcanary bio", contact="qzcanary contact"
    )
    ConsentRecord.objects.create(
        participant=participant, text="privacy", version="2024-05", accepted_at=clock.now()
    )
    scarce = RegistrationTypeFactory(event=upcoming, capacity=1, approved_count=1)
    invitation = InvitationFactory(
        event=upcoming, type=scarce, email="qzcanary.work@example.org", name="Qzcanary Work"
    )
    coming = RegistrationFactory(
        participant=participant,
        event=upcoming,
        type=scarce,
        status=S.APPROVED,
        invitation=invitation,
        motivation="qzcanary motivation",
    )
    RegistrationChange.objects.create(
        registration=coming, to_status=S.APPROVED, reason="qzcanary reason", at=clock.now()
    )
    other = ParticipantFactory(badge_name="Other Person")
    waiting = RegistrationFactory(
        participant=other, event=upcoming, type=scarce, status=S.WAITLISTED, waitlist_position=1
    )
    past_type = RegistrationTypeFactory(event=past, capacity=5, approved_count=2)
    attended = RegistrationFactory(
        participant=participant, event=past, type=past_type, status=S.APPROVED
    )
    others_past = RegistrationFactory(
        participant=other, event=past, type=past_type, status=S.APPROVED
    )
    CheckInFactory(registration=attended, day=past.start_date)
    CheckInFactory(registration=others_past, day=past.start_date, checked_in_by=user)
    issue_certificate(registration=attended)
    FeedbackReceipt.objects.create(participant=participant, event=past)
    FeedbackAnswer.objects.create(
        event=past, rating=4, comment="qzcanary comment", participant=participant
    )
    LetterRequest.objects.create(
        registration=coming, passport_name="QZCANARY PASSPORT NAME", nationality="JM"
    )
    LetterRequest.objects.create(
        registration=others_past, passport_name="Other Passport", nationality="CR", decided_by=user
    )
    RegistrationChange.objects.create(
        registration=waiting, to_status=S.WAITLISTED, changed_by=user, at=clock.now()
    )
    InvitationFactory(event=past, type=past_type, email=EMAIL.upper(), name="Qzcanary Person")
    InvitationFactory(event=past, type=past_type, created_by=user, name="Invited By Them")
    group = GroupFactory(event=upcoming, facilitator=participant)
    MembershipFactory(participant=participant, group=group)
    MembershipFactory(participant=other, group=group)
    TopicPreferenceFactory(participant=participant, group=group)
    table = WorldCafeTableFactory(host=participant, cafe__session__event=upcoming)
    WorldCafeSeatFactory(table=table, participant=participant)
    SessionSignupFactory(
        participant=participant, session=SessionFactory(event=upcoming, signup_required=True)
    )
    speaker = SpeakerFactory(
        event=upcoming, participant=participant, name="Qzcanary Person", bio_en="qzcanary bio"
    )
    speaker.photo.save("speaker.jpg", png(), save=True)
    DocumentFactory(event=upcoming, uploaded_by=user)
    Announcement.objects.create(
        event=upcoming, title_en="Lunch moved", body_en="To the terrace.", created_by=user
    )
    ExportLog.objects.create(user=user, at=clock.now(), kind="attendees", file_format="csv")
    BulkJob.objects.create(kind=BulkJob.Kind.INVITATION_IMPORT, event=upcoming, created_by=user)
    OutboxMessage.objects.create(
        recipient=EMAIL,
        user=user,
        kind="account",
        object_key="reset",
        subject="Reset",
        body_text="Hello Qzcanary Person, your link: /accounts/password/reset/key/1-abc/",
    )
    OutboxMessage.objects.create(
        recipient="qzcanary.work@example.org",
        kind="invitation",
        object_key="inv",
        subject="You are invited",
        body_text="Dear Qzcanary Work",
    )
    staff = StaffUserFactory()
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(participant.pk),
        object_repr=str(participant),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Dietary needs"]}}]',
    )
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(other.pk),
        object_repr="Other Person",
        action_flag=CHANGE,
    )
    secret = give_authenticator(user)  # a staff member has a second factor
    browser = Client(HTTP_USER_AGENT="qzcanary-browser")
    response = browser.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.context["form"].errors
    response = browser.post(response.url, {"code": totp_code(secret)})
    assert response.status_code == 302, response.context["form"].errors
    return {
        "user": user,
        "participant": participant,
        "other": other,
        "waiting": waiting,
        "scarce": scarce,
        "past_type": past_type,
        "browser": browser,
        "files": [participant.photo.path, speaker.photo.path],
    }


def snapshot(user) -> dict[str, dict[str, set]]:
    return {model._meta.label_lower: kinds for model, kinds in personal_rows(user).items()}


def test_the_fixture_reaches_every_model_with_a_path_to_the_user(person_everywhere):
    found = snapshot(person_everywhere["user"])

    missing = models_with_a_path_to_the_user() - set(found)

    assert not missing, (
        f"{sorted(missing)} can hold data about a person: add a row for each to "
        "person_everywhere, and check the export and erasure handle them"
    )


def test_the_export_holds_every_row_about_the_person_and_no_secret(person_everywhere):
    user = person_everywhere["user"]
    expected = snapshot(user)

    exported = json.loads(json.dumps(export_personal_data(user=user), default=str))

    for label, kinds in expected.items():
        full = kinds.get("owned", set()) | kinds.get("addressed", set())
        rows = exported["data"].get(label, {}).get("rows", [])
        # Keys as JSON holds them (a feedback answer's key is a UUID: a string there).
        assert {str(row["id"]) for row in rows} == {str(pk) for pk in full}, label
        mentioned = {str(pk) for pk in exported["mentioned_in"].get(label, [])}
        assert mentioned == {str(pk) for pk in kinds.get("mentions", set())}, label
    text = json.dumps(exported)
    assert "qzcanary vegan" in text and "Qzcanary Network" in text
    assert "QZCANARY PASSPORT NAME" in text and '"nationality": "JM"' in text
    assert "qzcanary.work@example.org" in text  # the invitation sent to another address
    for secret in (
        "qzcanary-key",
        "/accounts/password/reset/key/",
        user.password,
        person_everywhere["participant"].calendar_token,
    ):
        assert secret not in text
    assert exported["admin_changes"][0]["change"] == "Changed Dietary needs."


def test_erasure_leaves_no_personal_field_file_or_session(
    person_everywhere, django_capture_on_commit_callbacks
):
    user, other = person_everywhere["user"], person_everywhere["other"]
    before = snapshot(user)

    with django_capture_on_commit_callbacks(execute=True):
        report = erase_account(user=user, by=None)

    for label, kinds in before.items():
        model = apps.get_model(label)
        gone = kinds.get("owned", set()) | kinds.get("addressed", set())
        assert not model._default_manager.filter(pk__in=gone).exists(), label
    assert report.files == 2
    for path in person_everywhere["files"]:
        assert not os.path.exists(path)
    leftovers = canary_fields()
    assert not leftovers, f"personal data left behind in {leftovers}"
    assert person_everywhere["browser"].get("/me/").status_code == 302  # signed out
    assert Participant.objects.filter(pk=other.pk).exists()
    assert Membership.objects.filter(participant=other).count() == 1


def test_erasure_keeps_capacity_counters_true_and_anonymous_counts(person_everywhere):
    erase_account(user=person_everywhere["user"], by=None)

    scarce, past_type = person_everywhere["scarce"], person_everywhere["past_type"]
    waiting = Registration.objects.get(pk=person_everywhere["waiting"].pk)
    assert waiting.status == S.APPROVED  # the freed place of the event to come moved up
    for kind in RegistrationType.objects.filter(pk__in=[scarce.pk, past_type.pk]):
        approved = Registration.objects.filter(type=kind, status=S.APPROVED).count()
        assert kind.approved_count == approved
    counts = {
        (c.registration_type_id, c.status, c.sector, c.subregion, c.attended, c.count)
        for c in AnonymousCount.objects.all()
    }
    assert counts == {
        (scarce.pk, S.CANCELLED, "government", "caribbean", False, 1),
        (past_type.pk, S.APPROVED, "government", "caribbean", True, 1),
    }


def canary_fields() -> list[str]:
    """Every text-like column of every model that still holds the canary."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.concrete_fields:
            if isinstance(f, (models.CharField, models.TextField, models.FileField)):
                if model._default_manager.filter(**{f"{f.name}__icontains": CANARY}).exists():
                    found.append(f"{model._meta.label_lower}.{f.name}")
            elif isinstance(f, models.JSONField):
                rows = model._default_manager.values_list(f.name, flat=True)
                if any(CANARY in json.dumps(value).lower() for value in rows):
                    found.append(f"{model._meta.label_lower}.{f.name}")
    return found


def test_me_offers_the_download_and_it_is_an_attachment_for_the_signed_in_person(client):
    participant = ParticipantFactory(badge_name="Alba Example")
    client.force_login(participant.user)

    page = client.get("/me/")
    response = client.get("/me/data.json")

    assert 'href="/me/data.json"' in page.text and 'href="/me/delete/"' in page.text
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    payload = json.loads(response.content)
    assert payload["data"]["participants.participant"]["rows"][0]["badge_name"] == "Alba Example"


def test_anonymous_cannot_download_or_delete(client):
    assert client.get("/me/data.json").status_code == 302
    assert client.post("/me/delete/", {"password": "x"}).status_code == 302


def test_deleting_my_account_needs_my_password(client):
    participant = ParticipantFactory()
    client.force_login(participant.user)

    wrong = client.post("/me/delete/", {"password": "not-it"})
    right = client.post("/me/delete/", {"password": PASSWORD}, follow=True)

    assert wrong.status_code == 200 and "This is not your password." in wrong.text
    assert not User.objects.filter(pk=participant.user_id).exists()
    assert "Your account and your personal data are deleted." in right.text
    assert client.get("/me/").status_code == 302


def test_deleting_a_person_in_the_admin_erases_them_too(
    admin_client, private_media, django_capture_on_commit_callbacks
):
    participant = ParticipantFactory()
    participant.photo.save("x.jpg", png(), save=True)
    path = participant.photo.path
    OutboxMessage.objects.create(
        recipient=participant.user.email,
        user=participant.user,
        kind="k",
        object_key="o",
        subject="s",
        body_text=f"Hello {participant.badge_name}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/auth/user/{participant.user_id}/delete/", {"post": "yes"}
        )

    assert response.status_code == 302
    assert not os.path.exists(path)
    assert not OutboxMessage.objects.filter(recipient=participant.user.email).exists()
    # The admin's own record of the deletion names no one.
    assert LogEntry.objects.get(action_flag=DELETION).object_repr == ""


def test_the_admin_action_on_participants_is_the_same_erasure(admin_client, private_media):
    participant, stays = ParticipantFactory(), ParticipantFactory()
    export = ExportLog.objects.create(
        user=participant.user, at=clock.now(), kind="a", file_format="csv"
    )

    confirm = admin_client.post(
        "/admin/participants/participant/",
        {"action": "delete_selected", "_selected_action": [participant.pk]},
    )
    done = admin_client.post(
        "/admin/participants/participant/",
        {"action": "delete_selected", "_selected_action": [participant.pk], "post": "yes"},
    )

    assert confirm.status_code == 200
    assert done.status_code == 302
    assert not User.objects.filter(pk=participant.user_id).exists()
    assert Participant.objects.get().pk == stays.pk
    assert ExportLog.objects.get(pk=export.pk).user is None  # their own export, kept nameless
    changelist = admin_client.get("/admin/participants/participant/")
    assert "Erase the selected people and their personal data" in changelist.text


# --- Anonymisation of past events -------------------------------------------------------


@pytest.fixture
def old_event(private_media):
    """An event that ended in March 2023, with a person everywhere in it, and the same
    person registered for a later event too (whose data must stay)."""
    event = EventFactory(start_date=date(2023, 3, 1), end_date=date(2023, 3, 3))
    later = EventFactory(start_date=date(2099, 3, 1), end_date=date(2099, 3, 3))
    kind = RegistrationTypeFactory(event=event, capacity=10, approved_count=2)
    returning = ParticipantFactory(dietary_needs="qzcanary returning")
    once = ParticipantFactory(dietary_needs="qzcanary once", accessibility_needs="qzcanary ramp")
    once.photo.save("once.jpg", png(), save=True)
    set_directory_listing(
        participant=once, listed=True, bio="qzcanary bio", contact="qzcanary@example.org"
    )
    mine = RegistrationFactory(participant=once, event=event, type=kind, status=S.APPROVED)
    RegistrationFactory(participant=returning, event=event, type=kind, status=S.APPROVED)
    RegistrationFactory(participant=returning, event=later)
    CheckInFactory(registration=mine, day=event.start_date)
    issue_certificate(registration=mine)
    FeedbackReceipt.objects.create(participant=once, event=event)
    FeedbackAnswer.objects.create(event=event, rating=5, comment="Useful.", participant=once)
    LetterRequest.objects.create(registration=mine, passport_name="QZCANARY ONCE", nationality="CR")
    InvitationFactory(event=event, type=kind, email="qzcanary.invitee@example.org")
    group = GroupFactory(event=event, facilitator=once)
    MembershipFactory(participant=once, group=group)
    OutboxMessage.objects.create(
        recipient=once.user.email,
        kind="registration_approved",
        object_key=f"registration:{mine.pk}",
        subject="Approved",
        body_text="qzcanary",
    )
    return {"event": event, "later": later, "kind": kind, "once": once, "returning": returning}


def test_events_are_due_the_configured_months_after_they_end(old_event, settings):
    from participants.privacy import services as retention

    settings.PERSONAL_DATA_RETENTION_MONTHS = 6
    zone = ZoneInfo("America/Costa_Rica")

    on_the_day = retention.events_due(now=datetime(2023, 9, 3, 23, 59, tzinfo=zone))
    day_after = retention.events_due(now=datetime(2023, 9, 4, 0, 1, tzinfo=zone))
    settings.PERSONAL_DATA_RETENTION_MONTHS = 12
    a_year = retention.events_due(now=datetime(2023, 9, 4, 0, 1, tzinfo=zone))

    assert on_the_day == [] and a_year == []
    assert day_after == [old_event["event"]]


def test_the_dry_run_lists_what_would_go_and_changes_nothing(old_event):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("anonymise_past_events", "--dry-run", stdout=out)

    assert "would anonymise" in out.getvalue()
    assert "  registrations: 2" in out.getvalue()
    assert "  invitations: 1" in out.getvalue()
    assert "  invitation letter requests: 1" in out.getvalue()
    assert "  certificates and letters: 1" in out.getvalue()
    assert "  profiles cleared: 1" in out.getvalue()
    assert Registration.objects.filter(event=old_event["event"]).count() == 2
    assert "qzcanary" not in out.getvalue().lower()  # counts, never names


def test_the_beat_task_anonymises_a_past_event_and_keeps_counts(
    old_event, django_capture_on_commit_callbacks
):
    from participants.privacy.tasks import task_anonymise_past_events

    photo = old_event["once"].photo.path
    with django_capture_on_commit_callbacks(execute=True):
        done = task_anonymise_past_events.delay().get()

    event, kind = old_event["event"], old_event["kind"]
    assert done[event.slug]["registrations"] == 2
    assert not Registration.objects.filter(event=event).exists()
    assert Registration.objects.filter(event=old_event["later"]).count() == 1
    kind.refresh_from_db()
    assert kind.approved_count == 0
    assert sum(c.count for c in AnonymousCount.objects.filter(event=event)) == 2
    assert AnonymousCount.objects.get(event=event, attended=True).count == 1
    once, returning = (Participant.objects.get(pk=old_event[k].pk) for k in ("once", "returning"))
    assert (once.dietary_needs, once.accessibility_needs, once.photo.name) == ("", "", "")
    assert (once.directory_listed_at, once.directory_bio, once.directory_contact) == (None, "", "")
    assert not FeedbackReceipt.objects.filter(event=event).exists()
    assert list(
        FeedbackAnswer.objects.filter(event=event).values_list("participant", "rating")
    ) == [(None, 5)]  # the results stay, linked to nobody
    assert returning.dietary_needs == "qzcanary returning"  # still coming to an event
    assert not os.path.exists(photo)
    assert canary_fields() == ["participants.participant.dietary_needs"]
    assert task_anonymise_past_events.delay().get() == {}  # idempotent
