"""Finding 14: an upload whose file name is longer than 100 characters was refused although the
stored name is generated. The upload is taken; ``original_filename`` keeps the name (whole up to its
255 characters, shortened beyond that, the extension kept). Single upload and bulk upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityhall.library.image_bulk import SESSION_KEY
from cityhall.library.models import Image
from tests.factories import image_bytes, make_user

pytestmark = pytest.mark.django_db


def upload(name):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


@pytest.mark.parametrize("length", [101, 150, 255])
def test_a_long_name_is_kept_whole(client, length):
    name = "b" * (length - 4) + ".jpg"
    client.force_login(make_user("redakteurin", "Redaktion"))
    response = client.post(
        reverse("admin:cityhall_image_add"),
        {"file": upload(name), "alt_text": "Rathaus", "credit": "Foto: Stadt"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    image = Image.objects.get()
    assert image.original_filename == name
    assert len(image.file.name) <= Image._meta.get_field("file").max_length


def test_a_name_longer_than_the_field_is_shortened_keeping_its_extension(client):
    name = "Sommerfest im Rathaus " * 20 + ".jpeg"
    client.force_login(make_user("redakteurin", "Redaktion"))
    response = client.post(
        reverse("admin:cityhall_image_add"),
        {"file": upload(name), "alt_text": "Rathaus", "credit": "Foto: Stadt"},
    )
    assert response.status_code == 302
    kept = Image.objects.get().original_filename
    assert len(kept) == 255 and kept.endswith(".jpeg") and name.startswith(kept[:200])


def test_the_bulk_upload_takes_a_long_name(client):
    name = "c" * 200 + ".jpg"
    client.force_login(make_user("redakteurin", "Redaktion"))
    response = client.post(
        reverse("admin:cityhall_image_bulk_upload"), {"files": [upload(name)], "_hochladen": "1"}
    )
    assert response.status_code == 200
    pending = client.session[SESSION_KEY]
    assert [entry["original_filename"] for entry in pending.values()] == [name]
