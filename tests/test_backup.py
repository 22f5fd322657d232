"""manage.py backup / restore: the database and every media file, checksummed; a restore verifies the
whole backup before it touches anything, and refuses to overwrite data unless told to. The drill:
content, backup, destruction, restore, and every public page and media file as it was."""

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from cityhall.library import backup, renditions
from cityhall.library.models import EasyLanguagePage, Image, Rendition
from press import workflow
from press.models import AuditEntry, Correction, PressRelease
from tests.factories import add_text, image_bytes, make_image, make_partnership, make_release, make_user


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "images").mkdir(parents=True)
    settings.MEDIA_ROOT = root
    return root


def checksums(root):
    root = Path(root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def restore_error(directory, *args):
    with pytest.raises(CommandError) as raised:
        call_command("restore", str(directory), *args)
    message = str(raised.value)
    assert "\n" not in message
    return message


# --- the backup folder -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_database_and_every_media_file_with_their_checksums(media, tmp_path):
    (media / "images" / "foto.jpg").write_bytes(b"jpeg")
    (media / "renditions").mkdir()
    (media / "renditions" / "a.webp").write_bytes(b"webp")

    call_command("backup", str(tmp_path / "backup"))

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    database = backup.DATABASE_FILES[connection.vendor]
    assert manifest["format"] == "cityhall-backup/1"
    assert manifest["engine"] == connection.vendor and manifest["database"] == database
    assert set(manifest["files"]) == {database, "media/images/foto.jpg", "media/renditions/a.webp"}
    assert manifest["files"] == {
        name: checksum for name, checksum in checksums(tmp_path / "backup").items() if name != "manifest.json"
    }
    assert manifest["migrations"]["press"]  # what the restored database will need
    call_command("restore", str(tmp_path / "backup"), "--check")


@pytest.mark.django_db
def test_a_backup_goes_only_into_a_new_or_empty_folder(media, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")

    with pytest.raises(CommandError, match="nicht leer"):
        call_command("backup", str(tmp_path / "old"))


def test_the_password_goes_to_pg_dump_in_its_environment_never_on_its_command_line(monkeypatch, tmp_path):
    calls = []

    class Done:
        returncode, stderr = 0, ""

    monkeypatch.setattr(
        backup.subprocess, "run", lambda command, **kwargs: calls.append((command, kwargs)) or Done()
    )
    database = {
        "NAME": "cityhall",
        "USER": "presse",
        "PASSWORD": "geheim-42",
        "HOST": "db.local",
        "PORT": 5433,
    }

    backup._pg_dump(database, tmp_path / "database.dump")
    backup._pg_restore(database, tmp_path / "database.dump")

    for command, kwargs in calls:
        assert not any("geheim-42" in part for part in command)
        assert kwargs["env"]["PGPASSWORD"] == "geheim-42"
        assert {"--host=db.local", "--port=5433", "--username=presse", "--dbname=cityhall"} <= set(command)
    assert "--format=custom" in calls[0][0]
    assert {"--clean", "--if-exists", "--no-owner"} <= set(calls[1][0])


# --- restore refuses before it touches anything ----------------------------------------------------


@pytest.fixture
def made_backup(media, tmp_path):
    """A backup of a database with one user and one image file; then the user and file are gone."""
    (media / "images" / "foto.jpg").write_bytes(b"jpeg")
    User.objects.create_user("vorher")
    call_command("backup", str(tmp_path / "backup"))
    User.objects.all().delete()
    (media / "images" / "foto.jpg").unlink()
    return tmp_path / "backup"


def nothing_restored(media):
    assert not User.objects.exists()
    assert checksums(media) == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            lambda d: (d / "media" / "images" / "foto.jpg").write_bytes(b"other"),
            "media/images/foto.jpg wurde verändert",
        ),
        (lambda d: (d / "media" / "images" / "foto.jpg").unlink(), "media/images/foto.jpg fehlt im Backup"),
        (lambda d: (d / backup.DATABASE_FILES[connection.vendor]).write_bytes(b"x"), "wurde verändert"),
        (lambda d: (d / "media" / "neu.jpg").write_bytes(b"x"), "media/neu.jpg steht nicht im Manifest"),
        (lambda d: (d / "manifest.json").unlink(), "manifest.json fehlt"),
    ],
    ids=["changed", "missing", "database changed", "extra file", "no manifest"],
)
def test_a_changed_or_missing_file_restores_nothing(made_backup, media, damage, expected):
    damage(made_backup)

    assert expected in restore_error(made_backup)
    nothing_restored(media)


@pytest.mark.django_db(transaction=True)
def test_restore_exits_non_zero_with_one_line(made_backup, media, capsys):
    (made_backup / "media" / "images" / "foto.jpg").write_bytes(b"other")

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "restore", str(made_backup)]).execute()

    assert exited.value.code != 0
    assert capsys.readouterr().err.strip().splitlines() == [
        "CommandError: media/images/foto.jpg wurde verändert (Prüfsumme stimmt nicht)"
    ]


@pytest.mark.django_db(transaction=True)
def test_restore_into_existing_data_or_media_needs_force(made_backup, media):
    (media / "images" / "neu.jpg").write_bytes(b"neu")
    assert "MEDIA_ROOT" in restore_error(made_backup) and "--force" in restore_error(made_backup)
    (media / "images" / "neu.jpg").unlink()
    User.objects.create_user("jetzt")
    assert (
        restore_error(made_backup)
        == "Die Datenbank enthält schon Daten (auth_user); zum Überschreiben --force angeben"
    )
    (media / "images" / "neu.jpg").write_bytes(b"neu")

    call_command("restore", str(made_backup), "--force")

    assert list(User.objects.values_list("username", flat=True)) == ["vorher"]
    assert checksums(media) == {"images/foto.jpg": hashlib.sha256(b"jpeg").hexdigest()}  # neu.jpg gone


# --- the drill ---------------------------------------------------------------------------------------


def public_pages(client, release, partnership):
    paths = [
        "/",
        release.get_absolute_url(),
        reverse("press:year", kwargs={"year": release.published_at.year}),
        partnership.get_absolute_url(),
        reverse("press:feed_atom"),
        reverse("press:feed_rss"),
        reverse("press:sitemap"),
        reverse("cityhall:easy_language"),
    ]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        # A nonce is new with every response; everything else must be as it was.
        body = re.sub(rb'nonce="[^"]*"', b'nonce=""', response.content)
        pages[path] = hashlib.sha256(body).hexdigest()
    return pages


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, PressRelease, Image, Rendition, AuditEntry, Correction, EasyLanguagePage)
    }


@pytest.mark.django_db(transaction=True)
def test_restore_drill_brings_back_every_public_page_and_media_file(client, media, tmp_path):
    spokesperson = make_user("sprecherin", "Pressesprecher/in")
    partnership = make_partnership(partner_city="Haifa", country="IL", slug="haifa")
    image = make_image(title="Rathaus", file=ContentFile(image_bytes(size=(1600, 900)), name="foto.jpg"))
    release = make_release(title="Delegation aus Haifa", image=image, partnerships=[partnership])
    add_text(release, "<p>Die Delegation besucht das Rathaus.</p>")
    workflow.add_correction(Correction(release=release, text="Das Datum war falsch."), spokesperson)
    EasyLanguagePage.objects.create(title="Was macht die Presse-Stelle?", body="<p>Sie schreibt.</p>")
    assert client.get(renditions.url(image, "w800", "webp")).status_code == 200  # the rendition is made
    pages, files, rows = public_pages(client, release, partnership), checksums(media), counts()
    assert (
        rows["Rendition"] == 1
        and rows["AuditEntry"] >= 1
        and any(name.startswith("renditions/") for name in files)
    )

    call_command("backup", str(tmp_path / "backup"))
    call_command("flush", interactive=False)
    shutil.rmtree(media)
    for cache in caches.all(initialized_only=True):
        cache.clear()
    assert client.get(release.get_absolute_url()).status_code == 404  # really gone
    call_command("restore", str(tmp_path / "backup"))

    assert counts() == rows
    assert checksums(media) == files
    assert public_pages(client, release, partnership) == pages
    assert User.objects.get(username="sprecherin").check_password("x")
