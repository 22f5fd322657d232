"""The image admin's upload journeys without a browser: the popup keeps being one through the check of
what the file said, and the same picture twice offers the one in the library."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityhall.library.imaging import process_upload
from cityhall.library.models import Image
from tests.cityhall import image_files as files

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:cityhall_image_add")


def upload(data, name="foto.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_a_popup_upload_with_metadata_stays_a_popup_and_answers_as_an_add(admin_client):
    response = admin_client.post(
        ADD_URL + "?_to_field=id&_popup=1",
        {"file": upload(files.press_photo()), "alt_text": "Rednerpult", "_popup": "1", "_to_field": "id"},
    )
    image = Image.objects.get()
    change = reverse("admin:cityhall_image_change", args=[image.pk])
    assert response.status_code == 302
    assert response.url == f"{change}?_popup=1&_to_field=id&_neu=1"

    form = admin_client.get(response.url)
    assert b'name="_popup"' in form.content
    response = admin_client.post(
        response.url,
        {"alt_text": "Rednerpult", "credit": image.credit, "_popup": "1", "_to_field": "id", "focal_x": 50},
    )
    data = json.loads(response.context["popup_response_data"])
    image.refresh_from_db()
    assert data == {"value": str(image.pk), "obj": str(image)}  # no "action": the opener adds it


def test_the_same_picture_twice_is_refused_with_a_link_to_the_one_in_the_library(admin_client):
    data = files.jpeg(size=(80, 60), color=(1, 2, 3))
    existing = Image.objects.create(
        file=process_upload(upload(data)).file, title="Rathaus", alt_text="Rathaus"
    )

    response = admin_client.post(ADD_URL, {"file": upload(data, "kopie.jpg"), "alt_text": "Rathaus"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert "schon in der Bildbibliothek: „Rathaus“" in errors[0]
    change = reverse("admin:cityhall_image_change", args=[existing.pk])
    assert (
        f'<a href="{change}" class="existing-image">Vorhandenes Bild öffnen</a>' in response.content.decode()
    )
    assert Image.objects.count() == 1


def test_choosing_the_existing_picture_in_a_popup_hands_it_to_the_opener(admin_client):
    existing = Image.objects.create(
        file=process_upload(upload(files.jpeg())).file, title="Rathaus", alt_text="Rathaus"
    )
    change = reverse("admin:cityhall_image_change", args=[existing.pk])
    response = admin_client.get(change + "?_popup=1&_to_field=id&_waehlen=1")
    assert json.loads(response.context["popup_response_data"]) == {
        "value": str(existing.pk),
        "obj": "Rathaus",
    }
    assert admin_client.get(change + "?_popup=1&_to_field=password&_waehlen=1").status_code == 400
