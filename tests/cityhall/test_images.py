"""Uploads into the image library: checked by content, re-encoded, described."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PILImage

from cityhall.library import renditions
from cityhall.library.forms import ImageForm, clean_original_filename
from cityhall.library.imaging import ACCEPT, not_an_image_message
from cityhall.library.models import Image
from tests.factories import image_bytes, make_image

ADD_URL = reverse("admin:cityhall_image_add")
# "Datei ist kein Bild im Format JPEG, PNG, WebP oder AVIF." (AVIF where Pillow supports it)
NOT_AN_IMAGE = not_an_image_message()


def jpeg_with_gps(size=(64, 48), orientation=None):
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Testkamera"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 13.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 46.0, 0.0)
    buf = io.BytesIO()
    PILImage.new("RGB", size, (10, 120, 200)).save(buf, "JPEG", exif=exif, comment=b"Kommentar")
    return buf.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_image(client, file, **fields):
    data = {
        "file": file,
        "title": "Rathaus",
        "alt_text": "Das Rathaus am Marktplatz",
        "caption": "",
        "credit": "Foto: Stadt",
        "copyright_holder": "",
        "license": "",
    }
    data.update(fields)
    return client.post(ADD_URL, data)


def form_errors(response):
    return response.context["adminform"].form.errors


@pytest.mark.django_db
class TestAdminUpload:
    def test_valid_jpeg_is_stored_re_encoded_without_exif(self, admin_client, admin_user):
        original = jpeg_with_gps()
        source = PILImage.open(io.BytesIO(original))
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo), "test image must carry GPS data"

        response = post_image(admin_client, upload("Rathaus am Markt.jpg", original))

        assert response.status_code == 302, form_errors(response)
        image = Image.objects.get()
        assert image.file.name.startswith("images/")
        assert image.file.name.endswith(".jpg")
        assert "Rathaus" not in image.file.name  # generated name, not the uploader's
        assert image.original_filename == "Rathaus am Markt.jpg"
        assert image.uploaded_by == admin_user
        assert (image.width, image.height) == (64, 48)
        with image.file.open("rb") as fh:
            stored_bytes = fh.read()
        assert stored_bytes != original
        stored = PILImage.open(io.BytesIO(stored_bytes))
        assert stored.format == "JPEG"
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info
        assert b"Testkamera" not in stored_bytes
        assert b"Kommentar" not in stored_bytes

    def test_orientation_is_applied(self, admin_client):
        response = post_image(admin_client, upload("hochkant.jpg", jpeg_with_gps(orientation=6)))

        assert response.status_code == 302, form_errors(response)
        image = Image.objects.get()
        assert (image.width, image.height) == (48, 64)

    @pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
    def test_png_and_webp_are_accepted(self, admin_client, fmt):
        response = post_image(admin_client, upload(f"bild.{fmt.lower()}", image_bytes(fmt), "image/png"))

        assert response.status_code == 302, form_errors(response)
        image = Image.objects.get()
        assert PILImage.open(image.file.path).format == fmt

    def test_text_file_renamed_to_jpg_is_refused(self, admin_client):
        response = post_image(admin_client, upload("foto.jpg", b"Das ist kein Bild, nur Text.\n" * 20))

        assert response.status_code == 200
        assert form_errors(response)["file"] == [NOT_AN_IMAGE]
        assert not Image.objects.exists()

    def test_gif_is_refused(self, admin_client):
        response = post_image(admin_client, upload("animation.gif", image_bytes("GIF"), "image/gif"))

        assert response.status_code == 200
        assert form_errors(response)["file"] == [NOT_AN_IMAGE]
        assert not Image.objects.exists()

    def test_gif_named_jpg_is_refused(self, admin_client):
        response = post_image(admin_client, upload("foto.jpg", image_bytes("GIF")))

        assert form_errors(response)["file"] == [NOT_AN_IMAGE]
        assert not Image.objects.exists()

    def test_image_over_pixel_cap_is_refused(self, admin_client, settings):
        settings.CITYHALL_IMAGE_MAX_PIXELS = 1_000_000
        response = post_image(admin_client, upload("gross.jpg", image_bytes(size=(1100, 1000))))

        assert response.status_code == 200
        assert form_errors(response)["file"] == ["Bild größer als 1 Megapixel."]
        assert not Image.objects.exists()

    def test_image_within_pixel_cap_is_accepted(self, admin_client, settings):
        settings.CITYHALL_IMAGE_MAX_PIXELS = 1_000_000
        response = post_image(admin_client, upload("klein.jpg", image_bytes(size=(1000, 1000))))

        assert response.status_code == 302, form_errors(response)

    def test_file_over_byte_cap_is_refused(self, admin_client, settings):
        settings.CITYHALL_IMAGE_MAX_BYTES = 1024 * 1024
        noise = PILImage.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
        buf = io.BytesIO()
        noise.save(buf, "PNG")
        assert buf.tell() > 1024 * 1024

        response = post_image(admin_client, upload("rauschen.png", buf.getvalue(), "image/png"))

        assert form_errors(response)["file"] == ["Datei ist größer als 1 MB."]
        assert not Image.objects.exists()

    def test_missing_alt_text_is_a_field_error(self, admin_client):
        response = post_image(admin_client, upload("foto.jpg", image_bytes()), alt_text="")

        assert response.status_code == 200
        errors = form_errors(response)
        assert errors["alt_text"] == [
            "Bitte einen Alternativtext angeben oder das Bild als rein dekorativ markieren."
        ]
        assert "__all__" not in errors
        assert not Image.objects.exists()

    def test_decorative_image_needs_no_alt_text(self, admin_client):
        response = post_image(
            admin_client, upload("ornament.png", image_bytes("PNG")), alt_text="", decorative="on"
        )

        assert response.status_code == 302, form_errors(response)
        assert Image.objects.get().decorative is True

    def test_change_without_new_file_keeps_the_stored_file(self, admin_client, admin_user):
        image = make_image(title="Alt")
        name = image.file.name
        url = reverse("admin:cityhall_image_change", args=[image.pk])

        response = admin_client.post(
            url,
            {
                "title": "Neu",
                "alt_text": "Beschreibung",
                "caption": "",
                "credit": "",
                "copyright_holder": "",
                "license": "",
            },
        )

        assert response.status_code == 302, form_errors(response)
        image.refresh_from_db()
        assert image.title == "Neu"
        assert image.file.name == name

    def test_replacing_the_file_on_change_is_checked_too(self, admin_client):
        image = make_image()
        url = reverse("admin:cityhall_image_change", args=[image.pk])

        response = admin_client.post(
            url,
            {"file": upload("neu.gif", image_bytes("GIF"), "image/gif"), "alt_text": "x", "license": ""},
        )

        assert form_errors(response)["file"] == [NOT_AN_IMAGE]

    def test_add_form_offers_the_accepted_formats(self, admin_client):
        html = admin_client.get(ADD_URL).content.decode()
        assert f'accept="{ACCEPT}"' in html
        assert ACCEPT.startswith("image/jpeg,image/png,image/webp")

    def test_thumbnail_in_changelist(self, admin_client):
        image = make_image(title="Marktplatz")

        response = admin_client.get(reverse("admin:cityhall_image_changelist"))

        assert response.status_code == 200
        html = response.content.decode()
        # A rendition served to editors through /bilder/, never the /media/ original.
        assert f'<img src="{renditions.url(image, "w64", "jpeg")}" width="64" height="48"' in html
        assert "64 × 48 px" in html

    def test_thumbnail_is_scaled_into_its_box(self, admin_client):
        make_image(title="Panorama", file=SimpleUploadedFile("p.jpg", image_bytes(size=(400, 100))))

        html = admin_client.get(reverse("admin:cityhall_image_changelist")).content.decode()

        assert 'width="80" height="20"' in html


@pytest.mark.django_db
def test_image_form_without_admin():
    form = ImageForm(
        data={"alt_text": "Rathaus", "title": "", "caption": "", "credit": "", "copyright_holder": ""},
        files={"file": upload("C:\\Users\\presse\\Bilder\\Rathaus <Düsseldorf>.JPG", image_bytes())},
    )

    assert form.is_valid(), form.errors
    image = form.save()
    assert image.original_filename == "Rathaus Düsseldorf.JPG"
    assert image.file.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("foto.jpg", "foto.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\presse\\Desktop\\OB Keller.jpeg", "OB Keller.jpeg"),
        ("Bürgermeisterin   Empfang\t(2).png", "Bürgermeisterin Empfang (2).png"),
        ('"><script>alert(1)</script>.jpg', "script.jpg"),
        ("bild\x00.jpg", "bild.jpg"),
        ("Empfang\nim\rRathaus.jpg", "Empfang im Rathaus.jpg"),
        ("...", ""),
        ("a" * 300 + ".jpg", "a" * 251 + ".jpg"),
    ],
)
def test_clean_original_filename(raw, expected):
    assert clean_original_filename(raw) == expected
