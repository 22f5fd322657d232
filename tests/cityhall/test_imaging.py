"""Uploads that cannot hurt, and credits read from the file: cityhall.library.imaging with generated files."""

import io
import random
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, features
from PIL import Image as PILImage

from cityhall.library import rendition_store, renditions
from cityhall.library.forms import ImageForm
from cityhall.library.imaging import (
    copyright_holder_from_notice,
    iptc_records,
    not_an_image_message,
    process_upload,
    suggested_fields,
)
from cityhall.library.models import Image
from tests.cityhall import image_files as files

ADD_URL = reverse("admin:cityhall_image_add")

POLYGLOT = "Datei enthält neben dem Bild HTML- oder Skriptcode und wird deshalb nicht angenommen."
TOO_MANY_PIXELS = "Bild größer als 40 Megapixel."
TOO_LONG = "Bild ist breiter oder höher als 12.000 Pixel."
BROKEN = "Bilddatei ist beschädigt oder unvollständig."

IPTC_CAPTION = "Oberbürgermeister Dr. Stephan Keller im Gespräch – „Videoschalte“ mit Chemnitz"
IPTC_CREDIT = "Foto: Landeshauptstadt Düsseldorf/Malte Krudewig"
IPTC_DATASETS = [
    (120, IPTC_CAPTION),
    (110, IPTC_CREDIT),
    (80, "Malte Krudewig"),
    (116, "© 2021 Landeshauptstadt Düsseldorf"),
    (105, "Videoschalte Düsseldorf–Chemnitz"),
    (55, "20210128"),
]


def upload(content, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def rejection(content, name="foto.jpg"):
    with pytest.raises(ValidationError) as raised:
        process_upload(upload(content, name))
    return raised.value.messages


# --- Hostile files ------------------------------------------------------------------------------------------


HOSTILE = [
    pytest.param(files.svg_with_script, "bild.svg", not_an_image_message(), id="svg-with-script"),
    pytest.param(files.png_html_polyglot, "bild.png", POLYGLOT, id="png-html-polyglot"),
    pytest.param(files.png_with_html_after_end, "bild.png", POLYGLOT, id="png-with-html-appended"),
    pytest.param(files.decompression_bomb, "bombe.png", TOO_MANY_PIXELS, id="decompression-bomb"),
    pytest.param(files.strip_image, "streifen.png", TOO_LONG, id="1x100000"),
    pytest.param(files.truncated_jpeg, "foto.jpg", BROKEN, id="truncated-jpeg"),
    pytest.param(files.tiff, "foto.jpg", not_an_image_message(), id="tiff-renamed-jpg"),
]


@pytest.mark.parametrize(("make", "name", "message"), HOSTILE)
def test_hostile_file_is_refused_with_a_german_reason(make, name, message):
    assert rejection(make(), name) == [message]


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "name", "message"), HOSTILE)
def test_hostile_upload_is_a_field_error_and_stores_nothing(admin_client, settings, make, name, message):
    response = admin_client.post(
        ADD_URL,
        {"file": upload(make(), name), "alt_text": "Rathaus", "license": "", "focal_x": 50, "focal_y": 50},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [message]
    assert not Image.objects.exists()
    assert media_files(settings) == []


def test_not_an_image_message_names_the_accepted_formats():
    expected = "JPEG, PNG, WebP oder AVIF" if features.check("avif") else "JPEG, PNG oder WebP"
    assert not_an_image_message() == f"Datei ist kein Bild im Format {expected}."


def test_bomb_below_pillows_own_limit_is_refused_by_ours():
    """7,000 × 7,000 = 49 MP: Pillow would open it (its limit is about 179 MP), our 40 MP do not."""
    assert rejection(files.decompression_bomb(side=7_000), "bombe.png") == [TOO_MANY_PIXELS]


def test_frames_of_an_animation_count_towards_the_pixel_limit(settings):
    settings.CITYHALL_IMAGE_MAX_PIXELS = 1_000_000
    one_frame = files.animated_png((800, 500), frames=1)
    three_frames = files.animated_png((800, 500), frames=3)  # 3 × 0.4 MP

    assert process_upload(upload(one_frame, "a.png")).format == "PNG"
    assert rejection(three_frames, "a.png") == ["Bild größer als 1 Megapixel."]


def test_limits_come_from_the_settings(settings):
    settings.CITYHALL_IMAGE_MAX_SIDE = 100
    assert rejection(files.jpeg(size=(101, 10))) == ["Bild ist breiter oder höher als 100 Pixel."]
    settings.CITYHALL_IMAGE_MAX_BYTES = 1024 * 1024
    big = files.noise_jpeg(size=(1300, 1300))
    assert len(big) > 1024 * 1024
    assert rejection(big) == ["Datei ist größer als 1 MB."]


def test_broken_files_of_every_format_are_refused_not_crashed():
    """Cut or scrambled files of each accepted format give a ValidationError, never another exception."""
    seeds = [
        files.jpeg_with_everything(),
        files.noise_jpeg((60, 40)),
        files.png(),
        files.animated_png((30, 20), 2),
    ]
    for fmt in ("WEBP", *(("AVIF",) if features.check("avif") else ())):
        buf = io.BytesIO()
        PILImage.new("RGBA", (60, 40), (1, 2, 3, 100)).save(buf, fmt)
        seeds.append(buf.getvalue())
    rnd = random.Random(20260101)
    refused = 0
    for _ in range(300):
        data = bytearray(rnd.choice(seeds))
        if rnd.random() < 0.5:
            data = data[: rnd.randrange(1, len(data))]
        else:
            for _flip in range(rnd.randint(1, 6)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        try:
            process_upload(upload(bytes(data)))
        except ValidationError:
            refused += 1
    assert refused > 100  # the test really feeds broken files


# --- Accepted files: re-encoded, nothing but pixels -------------------------------------------------------


def assert_no_metadata(data):
    """Nothing of the camera, the place, the XMP or the comment is left in ``data``."""
    im = PILImage.open(io.BytesIO(data))
    assert len(im.getexif()) == 0
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"):
        assert key not in im.info, key
    for marker in (files.CAMERA.encode(), b"Exif\x00\x00", b"http://ns.adobe.com/xap", files.SECRET_COMMENT):
        assert marker not in data, marker
    assert files.XMP_MARKER.encode() not in data


def test_the_test_photo_really_carries_gps_xmp_comment_and_icc():
    data = files.jpeg_with_everything()
    im = PILImage.open(io.BytesIO(data))
    assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert files.XMP_MARKER in im.info["xmp"].decode()
    assert im.info["comment"] == files.SECRET_COMMENT
    assert im.info["icc_profile"]


def test_stored_file_has_no_metadata_and_a_generated_name():
    cleaned = process_upload(upload(files.jpeg_with_everything(), "OB Keller GPS.jpg"))

    assert cleaned.file.name.endswith(".jpg")
    assert "Keller" not in cleaned.file.name
    assert_no_metadata(cleaned.file.read())


@pytest.mark.django_db
def test_jpeg_with_gps_xmp_and_comment_yields_clean_stored_file_and_renditions(admin_client):
    response = admin_client.post(
        ADD_URL,
        {"file": upload(files.jpeg_with_everything(size=(900, 600))), "alt_text": "Rathaus", "license": ""},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    with image.file.open("rb") as handle:
        assert_no_metadata(handle.read())

    specs = [*(f"w{w}" for w in renditions.widths_for(image)), "t480", "social"]
    assert set(specs) >= {"w240", "w480", "w800", "w900", "t480", "social"}
    for spec in specs:
        for fmt in renditions.formats_for(image, spec):
            stored = rendition_store.get_or_make(image, spec, fmt)
            with stored.file.open("rb") as handle:
                data = handle.read()
            assert_no_metadata(data)
            assert (
                PILImage.open(io.BytesIO(data)).format
                == {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[fmt]
            )


def test_orientation_is_applied_before_the_metadata_goes():
    cleaned = process_upload(upload(files.jpeg_with_everything(size=(64, 48), orientation=6)))
    assert (cleaned.width, cleaned.height) == (48, 64)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", *(["AVIF"] if features.check("avif") else [])])
def test_other_formats_keep_their_format_and_lose_their_metadata(fmt):
    buf = io.BytesIO()
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = files.CAMERA
    PILImage.new("RGBA", (40, 30), (0, 100, 0, 128)).save(buf, fmt, exif=exif)
    cleaned = process_upload(upload(buf.getvalue(), "bild.bin", "application/octet-stream"))

    assert cleaned.format == fmt
    assert cleaned.file.name.endswith({"PNG": ".png", "WEBP": ".webp", "AVIF": ".avif"}[fmt])
    stored = cleaned.file.read()
    assert files.CAMERA.encode() not in stored
    assert PILImage.open(io.BytesIO(stored)).mode == "RGBA"  # transparency kept


def test_colours_in_another_profile_are_converted_to_srgb_and_the_profile_dropped():
    buf = io.BytesIO()
    PILImage.new("RGB", (20, 20), (200, 40, 40)).save(
        buf, "JPEG", icc_profile=files.odd_rgb_profile(), quality=100
    )

    cleaned = process_upload(upload(buf.getvalue()))

    stored = PILImage.open(io.BytesIO(cleaned.file.read()))
    assert "icc_profile" not in stored.info
    red, _green, blue = stored.getpixel((10, 10))
    assert blue > 150 > red  # the profile's swapped primaries were applied, not merely dropped


# --- Credits from the file -----------------------------------------------------------------------------------


def test_iptc_test_helper_builds_real_iptc():
    """Pillow reads the APP13 segment our helper writes, so the test JPEG is what cameras write."""
    im = PILImage.open(io.BytesIO(files.jpeg_with_iptc(IPTC_DATASETS)))
    from PIL import IptcImagePlugin

    assert IptcImagePlugin.getiptcinfo(im)[(2, 120)].decode() == IPTC_CAPTION
    assert iptc_records(im.info["photoshop"][0x0404])[(2, 110)] == [IPTC_CREDIT.encode()]


def test_iptc_fields_are_read_and_mapped():
    cleaned = process_upload(upload(files.jpeg_with_iptc(IPTC_DATASETS)))

    assert cleaned.metadata == {
        "caption": IPTC_CAPTION,
        "credit": IPTC_CREDIT,
        "photographer": "Malte Krudewig",
        "copyright_notice": "© 2021 Landeshauptstadt Düsseldorf",
        "headline": "Videoschalte Düsseldorf–Chemnitz",
        "taken_on": "2021-01-28",
    }
    suggested = suggested_fields(cleaned.metadata)
    assert suggested["copyright_holder"] == "Landeshauptstadt Düsseldorf"
    assert suggested["title"] == "Videoschalte Düsseldorf–Chemnitz"
    assert str(suggested["taken_on"]) == "2021-01-28"


def test_xmp_fields_are_read():
    xmp_only = process_upload(
        upload(
            files.jpeg_with_xmp(
                **{
                    "dc:creator": "Anna Fotografin",
                    "photoshop:Credit": "Foto: Agentur",
                    "dc:description": "Blick auf den Rhein",
                    "dc:rights": "(c) Agentur GmbH",
                    "xmpRights:UsageTerms": "Nur für die Berichterstattung über das Rheinufer",
                    "photoshop:DateCreated": "2024-05-01T10:00:00+02:00",
                }
            )
        )
    ).metadata
    assert xmp_only == {
        "photographer": "Anna Fotografin",
        "credit": "Foto: Agentur",
        "caption": "Blick auf den Rhein",
        "copyright_notice": "(c) Agentur GmbH",
        "usage_terms": "Nur für die Berichterstattung über das Rheinufer",
        "taken_on": "2024-05-01",
    }
    assert suggested_fields(xmp_only)["copyright_holder"] == "Agentur GmbH"


def test_broken_xmp_is_ignored_not_fatal():
    data = files.jpeg(xmp=b"<x:xmpmeta><rdf:RDF><unclosed>" + b"<!ENTITY a 'aaaa'>" * 3)
    assert process_upload(upload(data)).metadata == {}


def test_credit_falls_back_to_the_photographer():
    assert suggested_fields({"photographer": "Malte Krudewig"})["credit"] == "Foto: Malte Krudewig"


@pytest.mark.parametrize(
    ("notice", "holder"),
    [
        ("© 2021 Landeshauptstadt Düsseldorf", "Landeshauptstadt Düsseldorf"),
        ("(c) 2019-2021 Stadt Chemnitz", "Stadt Chemnitz"),
        ("Copyright © Agentur GmbH", "Agentur GmbH"),
        ("Landeshauptstadt Düsseldorf", "Landeshauptstadt Düsseldorf"),
    ],
)
def test_copyright_holder_from_notice(notice, holder):
    assert copyright_holder_from_notice(notice) == holder


@pytest.mark.django_db
def test_iptc_credit_and_caption_prefill_the_form_where_empty():
    form = ImageForm(
        data={
            "alt_text": "Zwei Oberbürgermeister am Bildschirm",
            "caption": "",
            "credit": "",
            "title": "Selbst",
        },
        files={"file": upload(files.jpeg_with_iptc(IPTC_DATASETS))},
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["caption"] == IPTC_CAPTION
    assert form.cleaned_data["credit"] == IPTC_CREDIT
    assert form.cleaned_data["title"] == "Selbst"  # typed by the editor: kept
    assert sorted(form.prefilled) == ["caption", "copyright_holder", "credit", "photographer", "taken_on"]
    image = form.save()
    assert (image.caption, image.credit, image.photographer) == (IPTC_CAPTION, IPTC_CREDIT, "Malte Krudewig")
    assert image.embedded_metadata["credit"] == IPTC_CREDIT


@pytest.mark.django_db
def test_admin_upload_with_iptc_returns_to_the_form_to_check_the_prefilled_fields(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "file": upload(files.jpeg_with_iptc(IPTC_DATASETS)),
            "alt_text": "Zwei Oberbürgermeister am Bildschirm",
            "credit": "© Stadt, von Hand",
            "license": "",
        },
        follow=True,
    )

    image = Image.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:cityhall_image_change", args=[image.pk])
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Aus den Angaben in der Bilddatei übernommen: Bildunterschrift, Rechteinhaber, Fotografin/Fotograf, "
        "Aufnahmedatum, Titel in der Bildbibliothek. Bitte prüfen und bei Bedarf ändern."
    ]
    form = response.context["adminform"].form
    assert form.initial["caption"] == IPTC_CAPTION
    assert image.credit == "© Stadt, von Hand"  # what the editor typed wins over the file
    html = response.content.decode()
    assert "Angaben aus der Originaldatei" in html
    assert IPTC_CREDIT in html  # the file's own credit, shown for comparison


@pytest.mark.django_db
def test_admin_upload_without_metadata_goes_back_to_the_list(admin_client):
    response = admin_client.post(
        ADD_URL, {"file": upload(files.jpeg()), "alt_text": "Rathaus", "license": ""}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:cityhall_image_changelist")
