import hashlib

import factory

from documents.models import Category, Document, DocumentFile
from documents.services import refresh_search_text
from sanjose import clock

from .events import EventFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    """The seeded categories (migration 0004) are found again by slug."""

    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "background-report"
    name_en = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    title_en = factory.Sequence(lambda n: f"Document {n}")
    title_es = factory.Sequence(lambda n: f"Documento {n}")
    category = factory.SubFactory(CategoryFactory)
    access = Document.Access.PUBLIC
    is_published = True
    published_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        """As the admin and the demo do: the search column follows the titles."""
        if create:
            refresh_search_text(document_id=obj.pk)


class DocumentFileFactory(factory.django.DjangoModelFactory):
    """A file's row only (nothing on disk): for pages that list files. Tests that read
    files store them through `documents.services.add_document_file`."""

    class Meta:
        model = DocumentFile

    document = factory.SubFactory(DocumentFactory)
    language = "en"
    file = factory.Sequence(lambda n: f"documents/{n:032x}")
    original_name = "report.pdf"
    size = 1234
    content_type = "application/pdf"
    sha256 = hashlib.sha256(b"report").hexdigest()
