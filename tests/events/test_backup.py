"""backup_event / restore_event: a round trip of one event's rows and stored files."""

import stat

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.models import Document, DocumentFile
from documents.samples import text_pdf
from documents.services import add_document_file
from events.models import Event, Session
from participants.models import CheckIn, Membership, Participant, Registration
from tests.factories import (
    CheckInFactory,
    DocumentFactory,
    EventDayFactory,
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(private_media, django_capture_on_commit_callbacks):
    event = EventFactory(slug="san-jose-2024", name="San José Dialogue")
    day = EventDayFactory(event=event)
    session = SessionFactory(
        event=event, day=day, room=RoomFactory(event=event), title_en="Plenary"
    )
    registration = RegistrationFactory(
        event=event, status=Registration.Status.APPROVED,
        participant__user__email="delegate@example.org",
    )  # fmt: skip
    user = registration.participant.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    MembershipFactory(participant=registration.participant, group=GroupFactory(event=event))
    CheckInFactory(registration=registration)
    document = DocumentFactory(event=event, title_en="Framework", access=Document.Access.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        add_document_file(
            document=document, language="en",
            upload=ContentFile(text_pdf("Framework", ["Child protection in tourism."]),
                               name="framework.pdf"),
        )  # fmt: skip
    other = SessionFactory(title_en="Another event's session")
    return {"event": event, "session": session, "user": user, "other": other}


def _snapshot(event_slug: str) -> dict:
    event = Event.objects.get(slug=event_slug)
    files = DocumentFile.objects.filter(document__event=event)
    return {
        "sessions": sorted(Session.objects.filter(event=event).values_list("title_en", flat=True)),
        "registrations": sorted(
            Registration.objects.filter(event=event).values_list(
                "participant__user__email", "status"
            )
        ),
        "memberships": Membership.objects.filter(group__event=event).count(),
        "check_ins": CheckIn.objects.filter(registration__event=event).count(),
        "files": {f.file.name: default_storage.open(f.file.name).read() for f in files},
        "thumbnails": [f.thumbnail.name for f in files if f.thumbnail],
    }


def test_round_trip_into_a_database_that_lost_the_event(dialogue, tmp_path):
    archive = tmp_path / "san-jose.tar.gz"
    before = _snapshot("san-jose-2024")
    password = dialogue["user"].password

    call_command("backup_event", "san-jose-2024", str(archive))

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds personal data
    for name in [*before["files"], *before["thumbnails"]]:
        default_storage.delete(name)
    Registration.objects.filter(event=dialogue["event"]).delete()  # protected from the event
    dialogue["event"].delete()
    get_user_model().objects.filter(pk=dialogue["user"].pk).delete()
    assert not Participant.objects.filter(user__email="delegate@example.org").exists()

    call_command("restore_event", str(archive))

    assert _snapshot("san-jose-2024") == before
    assert before["files"] and all(default_storage.exists(n) for n in before["thumbnails"])
    user = get_user_model().objects.get(email="delegate@example.org")
    assert user.password == password
    assert EmailAddress.objects.get(user=user).verified is True
    assert Session.objects.get(pk=dialogue["other"].pk).title_en == "Another event's session"


def test_restoring_over_the_live_event_changes_nothing(dialogue, tmp_path):
    archive = tmp_path / "again.tar.gz"
    before = _snapshot("san-jose-2024")
    call_command("backup_event", "san-jose-2024", str(archive))

    call_command("restore_event", str(archive))
    call_command("restore_event", str(archive))

    assert _snapshot("san-jose-2024") == before
    assert Session.objects.count() == 2


def test_unknown_event_and_bad_archive_are_clear_errors(dialogue, tmp_path):
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        call_command("backup_event", "nope", str(tmp_path / "x.tar.gz"))
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="is not a backup_event archive"):
        call_command("restore_event", str(junk))
