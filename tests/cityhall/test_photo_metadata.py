"""Press photos' own texts: XMP wins over IPTC's cut fields, disagreements are named, the licence is chosen
from the usage terms (cityhall.library.photo_metadata, and the image form that offers them)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityhall.library.forms import ImageForm
from cityhall.library.imaging import process_upload
from cityhall.library.models import License
from cityhall.library.photo_metadata import licence_from_terms
from tests.cityhall import image_files as files

PRESS_LICENCE = "Pressefoto: honorarfrei zur Berichterstattung"


def upload(content):
    return SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg")


def test_the_whole_xmp_credit_wins_over_iptcs_32_bytes():
    metadata = process_upload(upload(files.press_photo())).metadata

    assert metadata["credit"] == files.PRESS_CREDIT
    assert "conflicts" not in metadata  # IPTC's is the same credit, only cut short
    assert "possibly_cut" not in metadata


def test_xmp_and_iptc_that_disagree_are_both_kept():
    metadata = process_upload(upload(files.press_photo(xmp_credit="Foto: dpa/Agentur"))).metadata

    assert metadata["credit"] == "Foto: dpa/Agentur"
    assert metadata["conflicts"] == {
        "credit": {"xmp": "Foto: dpa/Agentur", "iptc": files.iptc_cut(files.PRESS_CREDIT, 32)}
    }


def test_an_iptc_credit_full_to_the_last_byte_is_named_as_perhaps_cut():
    data = files.jpeg_with_iptc([(110, files.iptc_cut(files.PRESS_CREDIT, 32))])
    assert process_upload(upload(data)).metadata["possibly_cut"] == ["credit"]


@pytest.mark.parametrize(
    ("terms", "licence"),
    [
        (files.PRESS_USAGE, PRESS_LICENCE),
        ("Frei zur redaktionellen Berichterstattung", PRESS_LICENCE),
        ("Lizenz: CC BY-SA 4.0", "CC BY-SA 4.0"),
        ("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"),
        ("CC BY-NC 4.0", ""),
        ("© Agentur, alle Rechte vorbehalten", "Alle Rechte vorbehalten"),
        ("Nur nach Rücksprache", ""),
    ],
)
def test_licence_from_usage_terms(terms, licence):
    assert licence_from_terms(terms) == licence


@pytest.mark.django_db
def test_the_form_takes_the_whole_credit_and_the_licence_and_names_a_disagreement():
    licence, _created = License.objects.get_or_create(name=PRESS_LICENCE)
    form = ImageForm(
        data={"alt_text": "Der Oberbürgermeister am Rednerpult", "credit": ""},
        files={"file": upload(files.press_photo(xmp_credit="Foto: Melanie Zanin"))},
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["credit"] == "Foto: Melanie Zanin"
    assert form.cleaned_data["license"] == licence
    assert "license" in form.prefilled
    assert form.metadata_warnings() == [
        "Die Datei nennt zwei verschiedene Angaben für „Bildnachweis (Credit)“: "
        "„Foto: Melanie Zanin“ (XMP) und „Landeshauptstadt Düsseldorf/Mel“ (IPTC). "
        "Übernommen wurde „Foto: Melanie Zanin“; bitte prüfen."
    ]
