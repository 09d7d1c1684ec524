"""A document's audience is checked when it is saved, by any writer (the admin's form
asks the same service)."""

import pytest
from django.core.exceptions import ValidationError

from documents.models import Document
from documents.services import save_document
from tests.factories import CategoryFactory, DocumentFactory, EventFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_a_document_for_named_groups_without_a_group_is_not_saved():
    event = EventFactory()
    document = Document(
        event=event,
        category=CategoryFactory(),
        title_en="For nobody",
        access=Document.Access.GROUPS,
    )

    with pytest.raises(ValidationError) as refused:
        save_document(document=document)

    assert refused.value.message_dict == {
        "groups": ["Choose the groups that may see this document."]
    }
    assert not Document.objects.exists()


def test_groups_of_another_event_are_refused_and_its_own_are_set():
    event = EventFactory()
    own, foreign = GroupFactory(event=event), GroupFactory(event=EventFactory())
    document = Document(
        event=event, category=CategoryFactory(), title_en="Caucus notes", access="groups"
    )

    with pytest.raises(ValidationError):
        save_document(document=document, groups=[foreign])
    save_document(document=document, groups=[own])

    assert list(Document.objects.get().groups.all()) == [own]


def test_changing_the_access_to_named_groups_checks_the_stored_groups():
    document = DocumentFactory(access=Document.Access.PARTICIPANTS)
    document.access = Document.Access.GROUPS

    with pytest.raises(ValidationError):
        save_document(document=document)

    assert Document.objects.get().access == Document.Access.PARTICIPANTS
