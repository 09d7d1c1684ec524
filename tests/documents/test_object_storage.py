"""Uploads on S3-compatible object storage, end to end against a real S3-protocol server on
loopback (moto's): upload, preview and search text built from the stored object, download
after the permission check through a short-lived signed URL."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto.server import ThreadedMotoServer

from documents.models import Document
from tests.factories import DocumentFactory
from tests.integration.conftest import free_port

from .conftest import sample_pdf

BUCKET = "dialogue-private"


@pytest.fixture
def object_store(settings, private_media):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": settings_module().s3_storage_options(
                bucket=BUCKET, endpoint_url=endpoint, access_key="testing",
                secret_key="testing", region="us-east-1", signed_url_seconds=60,
            ),
        },
    }  # fmt: skip
    settings.PRIVATE_MEDIA_SIGNED_URLS = True
    settings.PRIVATE_MEDIA_SIGNED_URL_SECONDS = 60
    yield client
    server.stop()


def settings_module():
    import sanjose.settings

    return sanjose.settings


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_upload_preview_search_and_download_through_the_object_store(
    object_store, store_file, matrix, client, private_media
):
    document = DocumentFactory(
        event=matrix.event, title_en="Field guide", access=Document.Access.PARTICIPANTS
    )

    stored = store_file(document, content=sample_pdf("Protocolo de turismo responsable"))

    keys = _keys(object_store)
    assert stored.file.name in keys and stored.thumbnail.name in keys
    assert list(private_media.rglob("*.*")) == []  # nothing on the local disk
    assert "turismo responsable" in stored.text
    client.force_login(matrix.users["approved"])
    library = client.get("/documents/", {"q": "turismo"}).content.decode()
    assert "Field guide" in library

    response = client.get(f"/documents/{document.pk}/download/en/")

    assert response.status_code == 302
    signed = urlsplit(response["Location"])
    query = parse_qs(signed.query)
    assert signed.netloc == urlsplit(object_store.meta.endpoint_url).netloc
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert response["Cache-Control"] == "private, no-store"
    with urllib.request.urlopen(response["Location"]) as fetched:
        assert fetched.read().startswith(b"%PDF")
        assert "attachment" in fetched.headers["Content-Disposition"]
    thumbnail = client.get(f"/documents/{document.pk}/thumbnail/en/")
    assert thumbnail.status_code == 200  # thumbnails stream through the site (img-src 'self')
    image = b"".join(thumbnail.streaming_content)
    assert thumbnail["Content-Type"] == "image/webp"
    assert image[:4] == b"RIFF" and image[8:12] == b"WEBP"


def test_the_object_is_private_and_a_refused_viewer_gets_no_url(
    object_store, store_file, matrix, client
):
    document = DocumentFactory(event=matrix.event, access=Document.Access.PARTICIPANTS)
    stored = store_file(document)
    plain = f"{object_store.meta.endpoint_url}/{BUCKET}/{stored.file.name}"

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain)
    assert refused.value.code == 403
    client.force_login(matrix.users["pending"])
    assert client.get(f"/documents/{document.pk}/download/en/").status_code == 404


def test_readiness_names_the_storage_when_the_object_store_is_down(
    object_store, client, settings, db
):
    assert client.get("/healthz/ready").json()["checks"]["storage"] == "ok"
    options = settings.STORAGES["default"]["OPTIONS"]
    down = {**options, "endpoint_url": f"http://127.0.0.1:{free_port()}"}  # nothing listens
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                          "OPTIONS": down}}  # fmt: skip

    response = client.get("/healthz/ready")

    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
