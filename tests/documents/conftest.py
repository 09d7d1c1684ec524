"""Viewers of the access matrix (docs/architecture.md) and files stored the way uploads are."""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from documents.models import Document, DocumentFile
from documents.samples import png_image, text_pdf
from documents.services import add_document_file
from participants.models import Group, Registration
from participants.roles import VIEWER
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    StaffUserFactory,
)


def sample_pdf(*paragraphs: str, title: str = "Sample report") -> bytes:
    return text_pdf(title, list(paragraphs) or ["A short report."])


def sample_png() -> bytes:
    return png_image("Sample image", size=(120, 80))


@pytest.fixture
def store_file(private_media, django_capture_on_commit_callbacks):
    """Store a file through the upload service and run what its commit runs (the
    write to the private root, then the preview task, inline)."""

    def store(
        document: Document, language: str = "en", content: bytes | None = None, name: str = ""
    ) -> DocumentFile:
        content = sample_pdf() if content is None else content
        with django_capture_on_commit_callbacks(execute=True):
            stored = add_document_file(
                document=document,
                language=language,
                upload=ContentFile(content, name=name or f"report-{language}.pdf"),
            )
        stored.refresh_from_db()
        return stored

    return store


@dataclass
class Matrix:
    event: object
    group: Group
    users: dict


@pytest.fixture
def matrix(db) -> Matrix:
    """One user per column of the access table: anonymous is `None`."""
    event = EventFactory()
    group = GroupFactory(event=event, kind=Group.Kind.CLOSED, name="Closed circle")
    pending = ParticipantFactory()
    RegistrationFactory(participant=pending, event=event, status=Registration.Status.SUBMITTED)
    approved = ParticipantFactory()
    RegistrationFactory(participant=approved, event=event, status=Registration.Status.APPROVED)
    member = ParticipantFactory()
    RegistrationFactory(participant=member, event=event, status=Registration.Status.APPROVED)
    MembershipFactory(participant=member, group=group)
    users = {
        "anonymous": None,
        "pending": pending.user,
        "approved": approved.user,
        "member": member.user,
        "staff": StaffUserFactory(roles=[VIEWER]),
        # Finding of issue 11: staff without the permission read staff-only documents.
        "staff without role": StaffUserFactory(),
    }
    return Matrix(event=event, group=group, users=users)
