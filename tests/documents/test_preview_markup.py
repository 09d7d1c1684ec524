"""Previews cost little on a phone: sized (no layout shift), lazy in lists, WebP."""

import re

import pytest

from tests.factories import DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db


def public_document_with_a_preview():
    document = DocumentFactory(access="public")
    DocumentFileFactory(document=document, language="en", thumbnail="thumbnails/x.webp")
    return document


def img_tags(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<img [^>]*>", html) if "/thumbnail/" in tag]


def test_library_thumbnails_are_sized_and_lazy(client):
    public_document_with_a_preview()
    tags = img_tags(client.get("/documents/").content.decode())
    assert len(tags) == 1
    assert 'width="64"' in tags[0] and 'height="86"' in tags[0]
    assert 'loading="lazy"' in tags[0]


def test_the_document_page_preview_is_sized(client):
    document = public_document_with_a_preview()
    tags = img_tags(client.get(document.get_absolute_url()).content.decode())
    assert len(tags) == 1
    assert 'width="320"' in tags[0] and 'height="452"' in tags[0]
