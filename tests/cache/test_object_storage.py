"""Media on S3-compatible object storage (django-storages), against moto's S3 server started here:
uploads and renditions land in the bucket, a rendition is made and stored once, a public image is
answered with a redirect to a short-lived signed address, without a storage round trip per request
(no ``exists()``), and an image that is not public never gets such an address; the bucket itself
answers nobody without a signature."""

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cityhall.library import renditions
from cityhall.library.models import Rendition
from tests.cache.servers import free_port
from tests.factories import image_bytes, make_image, make_release

pytestmark = pytest.mark.django_db

BUCKET = "cityhall-media"


@pytest.fixture(scope="module")
def s3_server():
    moto = Path(sys.executable).with_name("moto_server")
    if not moto.exists():
        pytest.skip("moto[server] is not installed")
    port = free_port()
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            break
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_media(s3_server, settings):
    import boto3

    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_server,
        "region_name": "eu-central-1",
        "access_key": "test",
        "secret_key": "test",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-central-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return client


def storage_requests():
    """Count the HTTP requests the storage makes (botocore's own event hook)."""
    sent = []
    default_storage.connection.meta.client.meta.events.register("before-send", lambda **kw: sent.append(1))
    return sent


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_a_public_rendition_is_stored_once_and_redirected_to_without_a_storage_round_trip(s3_media, client):
    image = make_image(file=ContentFile(image_bytes(size=(800, 600)), name="rathaus.jpg"))
    assert image.file.storage.__class__.__name__ == "S3Storage"
    make_release(image=image)
    url = renditions.url(image, "w480", "jpeg")

    response = client.get(url)
    assert response.status_code == 302
    assert Rendition.objects.filter(image=image).count() == 1
    stored = Rendition.objects.get(image=image)
    assert s3_media.head_object(Bucket=BUCKET, Key=stored.file.name)["ContentLength"] > 0
    status, body = fetch(response["Location"])
    assert status == 200
    assert body[:3] == b"\xff\xd8\xff"  # the JPEG
    assert "public" in response["Cache-Control"]

    sent = storage_requests()
    again = client.get(url)
    assert again.status_code == 302
    assert sent == []  # no exists(), no upload: the signed address is computed here
    assert Rendition.objects.filter(image=image).count() == 1

    download = client.get(renditions.download_url(image))
    assert download.status_code == 302
    assert fetch(download["Location"])[0] == 200


def test_an_image_that_is_not_public_gets_no_storage_address(s3_media, client, admin_client):
    image = make_image(file=ContentFile(image_bytes(size=(800, 600)), name="entwurf.jpg"))
    make_release(image=image, status="draft")
    url = renditions.url(image, "w480", "jpeg")

    assert client.get(url).status_code == 404
    # An editor gets the bytes from the app, never an address of the bucket that could be passed on.
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Location" not in response
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert "no-store" in response["Cache-Control"]
    # The bucket answers nobody without a signature.
    stored = Rendition.objects.get(image=image)
    assert fetch(f"{s3_media.meta.endpoint_url}/{BUCKET}/{stored.file.name}")[0] == 403
