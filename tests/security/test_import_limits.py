"""The import refuses what would exhaust the server or read files it was not given, with the usual
one-line error: deep nesting, oversized files, and symlinks out of the import folder."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from press.models import PressRelease
from tests.press.test_interchange import document, release, write_content

pytestmark = pytest.mark.django_db


def import_error(path):
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path))
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_deeply_nested_arrays_are_refused(tmp_path):
    path = tmp_path / "content.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert "verschachtelt" in import_error(path)


@override_settings(INTERCHANGE_MAX_BYTES=10_000)
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = write_content(tmp_path, document(release(lead="x" * 20_000)))
    message = import_error(path)
    assert "zu groß" in message
    assert not PressRelease.objects.exists()


@pytest.mark.parametrize("target", ["outside", "inside"])
def test_a_symlink_in_the_import_folder_is_refused(tmp_path, target):
    """A symlink could lead anywhere on the server (another site's media, a key file); none is followed."""
    folder = tmp_path / "import"
    data = document(release(image={"file": "images/link.jpg", "alt": "Ein Bild", "credit": "© Stadt"}))
    path = write_content(folder, data)
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes((folder / "images" / "bild.jpg").read_bytes())
    (folder / "images" / "link.jpg").symlink_to(
        outside if target == "outside" else folder / "images" / "bild.jpg"
    )
    message = import_error(path)
    assert "symbolischer Verweis" in message
    assert not PressRelease.objects.exists()
