"""The image fields of the interchange format: rights and credits travel, files are found by hash."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext

from cityhall.library.models import Image
from press.interchange import export_content, import_file
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db

RIGHTS = {
    "credit": "Foto: Landeshauptstadt Düsseldorf/Malte Krudewig",
    "copyright_holder": "Landeshauptstadt Düsseldorf",
    "photographer": "Malte Krudewig",
    "license": "Pressefoto: honorarfrei zur Berichterstattung",
    "usage_terms": "Nur zur Berichterstattung über die Städtepartnerschaft.",
    "rights_expire_on": "2031-12-31",
    "taken_on": "2021-01-28",
    "focal_x": 30,
    "focal_y": 70,
}


def write(directory, image):
    (directory / "images").mkdir(parents=True, exist_ok=True)
    (directory / "images" / "foto.jpg").write_bytes(image_bytes(size=(160, 90)))
    data = {
        "format": "cityhall-press/1",
        "releases": [
            {
                "slug": "mit-bild",
                "title": "Mit Bild",
                "status": "published",
                "published_at": "2021-01-28T14:00:00+01:00",
                "image": {"file": "images/foto.jpg", "alt": "Ein Foto", **image},
            }
        ],
    }
    path = directory / "content.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_rights_fields_are_imported_and_exported_as_given(tmp_path):
    import_file(write(tmp_path / "in", RIGHTS))

    image = Image.objects.get()
    assert image.photographer == "Malte Krudewig"
    assert image.usage_terms == RIGHTS["usage_terms"]
    assert str(image.rights_expire_on) == "2031-12-31"
    assert str(image.taken_on) == "2021-01-28"
    assert (image.focal_x, image.focal_y) == (30, 70)
    assert image.license.name == RIGHTS["license"]
    assert len(image.content_hash) == 64

    export_content(tmp_path / "out")
    exported = json.loads((tmp_path / "out" / "content.json").read_text(encoding="utf-8"))
    image_spec = exported["releases"][0]["image"]
    assert {key: image_spec[key] for key in RIGHTS} == RIGHTS


def test_default_focal_point_and_empty_fields_are_left_out_of_the_export(tmp_path):
    import_file(write(tmp_path / "in", {}))
    export_content(tmp_path / "out")
    exported = json.loads((tmp_path / "out" / "content.json").read_text(encoding="utf-8"))
    assert set(exported["releases"][0]["image"]) == {"file", "alt"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"rights_expire_on": "31.12.2031"},
            "image.rights_expire_on: '31.12.2031' ist kein Datum der Form JJJJ-MM-TT",
        ),
        ({"taken_on": 2021}, "image.taken_on: muss Text sein"),
        ({"focal_x": 101}, "image.focal_x: Dieser Wert muss kleiner oder gleich 100 sein."),
        ({"focal_y": "oben"}, "image.focal_y: muss eine ganze Zahl sein"),
        (
            {"photographer": "x" * 201},
            "image.photographer: Bitte sicherstellen, dass der Wert aus höchstens 200 Zeichen besteht. (Er besteht aus 201 Zeichen.)",
        ),
    ],
)
def test_bad_image_fields_are_refused_naming_the_field(tmp_path, fields, message):
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(write(tmp_path, fields)))
    assert str(raised.value) == f"releases[0] (slug 'mit-bild'): {message}"
    assert not Image.objects.exists()


def test_existing_image_is_found_by_its_hash_in_one_query_without_reading_files(tmp_path, monkeypatch):
    path = write(tmp_path, RIGHTS)
    import_file(path)
    image = Image.objects.get()

    def no_reading(self, mode="rb"):
        raise AssertionError(f"stored file {self.name} read")

    monkeypatch.setattr(FieldFile, "open", no_reading)
    with CaptureQueriesContext(connection) as queries:
        result = import_file(path)

    assert Image.objects.get() == image
    assert result.unchanged["Bilder"] == 1
    image_lookups = [
        q["sql"] for q in queries if 'FROM "cityhall_image"' in q["sql"] and "content_hash" in q["sql"]
    ]
    assert len(image_lookups) == 1
