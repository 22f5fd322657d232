"""The interchange format cityhall-press/1: import_content and export_content."""

import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage
from taggit.models import Tag, TaggedItem

from cityhall.library.models import MANAGED_LICENCES, Contact, Image, License, Office, Person
from partnerships.models import Partnership, Project, Theme
from press.interchange import export_content, import_file
from press.models import BackgroundBlock, ImageBlock, PressRelease, QuoteBlock, TextBlock
from tests.factories import (
    add_background,
    add_image,
    add_quote,
    add_text,
    image_bytes,
    make_contact,
    make_image,
    make_partnership,
    make_person,
    make_project,
    make_release,
)

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "demo" / "content.json"
# The seed lies beside the checkout (../shared/seed), as on the developers' machines and in CI.
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "duesseldorf-chemnitz-press-release.txt"
DEMO_SLUG = "virtuelles-treffen-der-partnerstaedte-duesseldorf-und-chemnitz"

MODELS = [
    PressRelease, TextBlock, QuoteBlock, ImageBlock, BackgroundBlock, Image, License, Person, Office,
    Contact, Partnership, Project, Theme, Tag, TaggedItem,
]  # fmt: skip


def counts():
    """Rows per model; the licences every database starts with (MANAGED_LICENCES) do not count."""
    return {
        model.__name__: (
            model.objects.exclude(name__in=[name for name, _ in MANAGED_LICENCES])
            if model is License
            else model.objects
        ).count()
        for model in MODELS
    }


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def write_content(directory, data, images=("bild.jpg",)):
    """content.json with ``data`` in ``directory``, plus small JPEGs under images/."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "images").mkdir(exist_ok=True)
    for n, name in enumerate(images):
        (directory / "images" / name).write_bytes(image_bytes(size=(80 + n, 60), color=(20 * n, 90, 160)))
    path = directory / "content.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def release(**fields):
    data = {
        "slug": "eine-mitteilung",
        "title": "Eine Mitteilung",
        "published_at": "2024-05-02T10:00:00+02:00",
        "status": "published",
        "blocks": [{"type": "text", "html": "<p>Text</p>"}],
    }
    data.update(fields)
    return data


def document(*releases, partnerships=()):
    return {"format": "cityhall-press/1", "partnerships": list(partnerships), "releases": list(releases)}


def keller_quote(text="Ein Zitat."):
    return {
        "type": "quote",
        "text": text,
        "speaker": {
            "name": "Stephan Keller",
            "honorific": "Dr.",
            "role": "Oberbürgermeister",
            "organisation": "Landeshauptstadt Düsseldorf",
        },
    }


def blocks_of(press_release):
    found = [
        block
        for model in (TextBlock, QuoteBlock, ImageBlock, BackgroundBlock)
        for block in model.objects.filter(parent=press_release)
    ]
    return sorted(found, key=lambda block: block.ordering)


def export_to(directory):
    export_content(directory)
    return (directory / "content.json").read_text(encoding="utf-8")


def pixel_sizes(directory):
    return {p.name: PILImage.open(p).size for p in sorted((directory / "images").iterdir())}


def wipe_content():
    PressRelease.objects.all().delete()
    for model in (Tag, Partnership, Image, License, Person, Contact, Theme):  # partnerships use images
        model.objects.all().delete()
    assert set(counts().values()) == {0}


# --- the demo content -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_file_imports_the_seed_release():
    call_command("import_content", str(DEMO))

    release_ = PressRelease.objects.get()
    assert release_.slug == DEMO_SLUG
    assert release_.kicker == "Internationales"
    assert release_.title == "Virtuelles Treffen der Partnerstädte Düsseldorf und Chemnitz"
    assert release_.subtitle == "Oberbürgermeister tauschen sich aus"
    assert release_.lead.startswith(
        "Oberbürgermeister Dr. Stephan Keller bespricht bei einem virtuellen Treffen"
    )
    assert release_.status == PressRelease.Status.PUBLISHED
    assert release_.published_at == datetime(2021, 1, 28, 13, 0, tzinfo=UTC)
    assert sorted(release_.tags.names()) == ["Chemnitz", "Internationales", "News"]
    assert [p.slug for p in release_.partnerships.all()] == ["chemnitz"]
    assert release_.contact.name == "Presseamt"

    assert release_.lead_image_caption == (
        "Videoschalte: Oberbürgermeister Dr. Stephan Keller will mit seinem Chemnitzer Amtskollegen Sven "
        "Schulze (l.) die Städtepartnerschaft weiter ausbauen. Mit dabei: Jessica Breitkopf, Büro für "
        "Internationales"
    )
    assert release_.image.credit == "© Landeshauptstadt Düsseldorf"
    assert release_.lead_image_alt
    assert (release_.image.width, release_.image.height) == (1600, 900)

    blocks = blocks_of(release_)
    assert [type(b).__name__ for b in blocks] == [
        "TextBlock",
        "QuoteBlock",
        "QuoteBlock",
        "TextBlock",
        "BackgroundBlock",
    ]
    keller, schulze = blocks[1], blocks[2]
    assert (keller.speaker.full_name, keller.role, keller.organisation) == (
        "Dr. Stephan Keller",
        "Oberbürgermeister",
        "Landeshauptstadt Düsseldorf",
    )
    assert (schulze.speaker.full_name, schulze.role, schulze.organisation) == (
        "Sven Schulze",
        "Oberbürgermeister",
        "Stadt Chemnitz",
    )
    assert Person.objects.count() == 2
    assert {(o.person.name, o.role, o.organisation, o.start) for o in Office.objects.all()} == {
        ("Stephan Keller", "Oberbürgermeister", "Landeshauptstadt Düsseldorf", None),
        ("Sven Schulze", "Oberbürgermeister", "Stadt Chemnitz", None),
    }
    assert blocks[4].title == "Hintergrund Städtepartnerschaft"
    assert "besteht seit 1988" in blocks[4].html


@pytest.mark.django_db
def test_demo_file_imports_the_chemnitz_partnership_with_four_projects():
    call_command("import_content", str(DEMO))

    chemnitz = Partnership.objects.get()
    assert (chemnitz.slug, chemnitz.partner_city, chemnitz.country, chemnitz.since) == (
        "chemnitz",
        "Chemnitz",
        "DE",
        1988,
    )
    assert "1988" in chemnitz.summary
    projects = {p.title: (p.year, sorted(t.name for t in p.themes.all())) for p in chemnitz.projects.all()}
    assert projects == {
        "Bürgerbegegnungsprojekt 30 Jahre Deutsche Einheit": (2020, ["Bürgerschaftliches Engagement"]),
        "LaufKulTour": (2020, ["Sport"]),
        "Kunstprojekt Gegenwarten": (2020, ["Kultur"]),
        "Düsseldorfer Beitrag zur Kulturhauptstadt Europas Chemnitz 2025": (2025, ["Kultur"]),
    }
    assert Theme.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.skipif(not SEED.exists(), reason="the seed text (../shared/seed) is not beside this checkout")
def test_demo_texts_are_the_seed_texts_verbatim():
    call_command("import_content", str(DEMO))
    seed = SEED.read_text(encoding="utf-8")
    release_ = PressRelease.objects.get()
    blocks = blocks_of(release_)

    def plain(html):
        return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", "\xa0")

    for text in [
        release_.title,
        release_.subtitle,
        release_.lead,
        release_.image.caption,
        plain(blocks[0].html),
        *blocks[1].text.split("\n"),
        blocks[2].text,
        plain(blocks[3].html),
        plain(blocks[4].html),
    ]:
        assert text in seed
    assert "'Gegenwarten'" in blocks[2].text
    assert '"LaufKulTour"' in blocks[3].html


@pytest.mark.django_db
def test_demo_file_is_what_export_writes(tmp_path):
    """The demo is in the exported form: import then export reproduces it byte for byte."""
    call_command("import_content", str(DEMO))
    exported = export_to(tmp_path / "out")

    assert exported == DEMO.read_text(encoding="utf-8")
    assert pixel_sizes(tmp_path / "out") == {"videoschalte.jpg": (1600, 900)}


# --- idempotency ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_importing_twice_changes_nothing(tmp_path, settings):
    call_command("import_content", str(DEMO))
    before = counts()
    first_export = export_to(tmp_path / "first")
    release_ = PressRelease.objects.get()
    block_pks = [(type(b), b.pk) for b in blocks_of(release_)]
    files = media_files(settings)

    call_command("import_content", str(DEMO))

    assert counts() == before
    assert export_to(tmp_path / "second") == first_export
    again = PressRelease.objects.get()
    assert again.updated_at == release_.updated_at
    assert [(type(b), b.pk) for b in blocks_of(again)] == block_pks
    assert media_files(settings) == files


@pytest.mark.django_db
def test_reimport_of_a_changed_file_updates_in_place(tmp_path):
    data = document(
        release(blocks=[{"type": "text", "html": "<p>Alt</p>"}, keller_quote()]),
        partnerships=[
            {
                "slug": "chemnitz",
                "partner_city": "Chemnitz",
                "country": "de",
                "projects": [{"title": "A"}, {"title": "B"}],
            }
        ],
    )
    path = write_content(tmp_path, data)
    import_file(path)

    data["releases"][0]["title"] = "Neuer Titel"
    data["releases"][0]["blocks"] = [{"type": "text", "html": "<p>Neu</p>"}]
    data["partnerships"][0]["projects"] = [{"title": "B", "year": 2021}]
    write_content(tmp_path, data)
    import_file(path)

    release_ = PressRelease.objects.get()
    assert (release_.slug, release_.title) == ("eine-mitteilung", "Neuer Titel")
    assert [b.html for b in blocks_of(release_)] == ["<p>Neu</p>"]
    assert QuoteBlock.objects.count() == 0
    assert [(p.title, p.year) for p in Project.objects.all()] == [("B", 2021)]
    assert Partnership.objects.get().country == "DE"


# --- broken files import nothing -----------------------------------------------------------------


def _quote_without_speaker(data):
    data["releases"][1]["blocks"].append({"type": "quote", "text": "Ohne Person."})


def _speaker_without_name(data):
    quote = keller_quote()
    del quote["speaker"]["name"]
    data["releases"][1]["blocks"].append(quote)


def _missing_image_file(data):
    data["releases"][1]["image"] = {"file": "images/gibt-es-nicht.jpg", "alt": "x"}


def _not_an_image(data):
    data["releases"][1]["image"] = {"file": "content.json", "alt": "x"}


def _bad_date(data):
    data["releases"][1]["published_at"] = "28.01.2021"


def _date_without_offset(data):
    data["releases"][1]["published_at"] = "2021-01-28T11:00:00"


def _unknown_key(data):
    data["releases"][1]["autor"] = "Jemand"


def _unknown_block_type(data):
    data["releases"][1]["blocks"].append({"type": "video", "url": "https://example.org"})


def _bad_status(data):
    data["releases"][1]["status"] = "online"


def _tags_not_strings(data):
    data["releases"][1]["tags"] = ["Ok", 3]


def _missing_title(data):
    del data["releases"][1]["title"]


def _unknown_partnership(data):
    data["releases"][1]["partnerships"] = ["gibt-es-nicht"]


BREAKAGES = [
    (_quote_without_speaker, "releases[1] (slug 'zweite'): blocks[1].speaker: fehlt"),
    (_speaker_without_name, "releases[1] (slug 'zweite'): blocks[1].speaker.name: fehlt"),
    (
        _missing_image_file,
        "releases[1] (slug 'zweite'): image.file: Datei 'images/gibt-es-nicht.jpg' nicht gefunden",
    ),
    (_not_an_image, "releases[1] (slug 'zweite'): image.file: 'content.json': Datei ist kein Bild"),
    (_bad_date, "releases[1] (slug 'zweite'): published_at: kein Zeitpunkt nach ISO 8601"),
    (_date_without_offset, "releases[1] (slug 'zweite'): published_at: Zeitzone fehlt"),
    (_unknown_key, "releases[1] (slug 'zweite'): unbekannte Felder: autor"),
    (_unknown_block_type, "releases[1] (slug 'zweite'): blocks[1].type: 'video' unbekannt"),
    (_bad_status, "releases[1] (slug 'zweite'): status: Wert 'online' ist keine gültige Option."),
    (_tags_not_strings, "releases[1] (slug 'zweite'): tags[1]: muss Text sein"),
    (_missing_title, "releases[1] (slug 'zweite'): title: fehlt"),
    (
        _unknown_partnership,
        "releases[1] (slug 'zweite'): partnerships[0]: Städtepartnerschaft 'gibt-es-nicht' unbekannt",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("breakage", "message"), BREAKAGES, ids=[b.__name__.strip("_") for b, _ in BREAKAGES]
)
def test_broken_file_imports_nothing(tmp_path, settings, breakage, message):
    data = document(
        release(
            slug="erste",
            image={"file": "images/bild.jpg", "alt": "Ein Bild"},
            blocks=[keller_quote(), {"type": "image", "file": "images/bild.jpg", "alt": "Noch mal"}],
            tags=["Erste"],
            contact={"name": "Presseamt", "email": "presse@example.org"},
        ),
        release(slug="zweite", title="Zweite"),
        partnerships=[
            {"slug": "chemnitz", "partner_city": "Chemnitz", "country": "DE", "projects": [{"title": "P"}]}
        ],
    )
    breakage(data)
    path = write_content(tmp_path, data)
    before = counts()

    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path))

    error = str(raised.value)
    assert error.startswith(message)
    assert "\n" not in error
    assert counts() == before
    assert not PressRelease.objects.filter(slug="erste").exists()
    assert media_files(settings) == []  # image files written before the error are removed again


@pytest.mark.django_db
def test_errors_name_a_release_without_slug_by_title_or_index(tmp_path):
    data = document(release(slug=None, title="Ohne Kurzname", status="fertig"))
    with pytest.raises(CommandError, match=r"^releases\[0\] \(Titel 'Ohne Kurzname'\): status: "):
        call_command("import_content", str(write_content(tmp_path, data)))

    data = document(release(slug=None, title=None))
    with pytest.raises(CommandError, match=r"^releases\[0\]: title: fehlt$"):
        call_command("import_content", str(write_content(tmp_path, data)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"format": "cityhall-press/2", "releases": []},
            "format: erwartet 'cityhall-press/1', gefunden \"cityhall-press/2\"",
        ),
        ({"format": "cityhall-press/1", "pressemitteilungen": []}, "unbekannte Felder: pressemitteilungen"),
        (
            {
                "format": "cityhall-press/1",
                "partnerships": [{"slug": "x", "partner_city": "X", "country": "Deutschland"}],
            },
            "partnerships[0] (slug 'x'): country: Wert 'DEUTSCHLAND' ist keine gültige Option.",
        ),
        (
            {
                "format": "cityhall-press/1",
                "partnerships": [{"partner_city": "X", "country": "DE", "projects": [{}]}],
            },
            "partnerships[0] (Stadt 'X'): projects[0].title: fehlt",
        ),
    ],
)
def test_errors_in_the_document_frame(tmp_path, data, message):
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(write_content(tmp_path, data)))
    assert str(raised.value).startswith(message)
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_invalid_json_and_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "content.json"
    path.write_text('{"format": "cityhall-press/1", "releases": [}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"kein gültiges JSON \(Zeile 1"):
        call_command("import_content", str(path))
    path.write_text('{"format": "cityhall-press/1", "releases": [], "releases": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="Feld 'releases' steht in einem Objekt doppelt"):
        call_command("import_content", str(path))


def test_command_exits_non_zero_with_one_line(tmp_path):
    """The real command line: exit status 1 and a single line on stderr."""
    quote = keller_quote()
    del quote["speaker"]["name"]
    path = write_content(tmp_path, document(release(slug="x", blocks=[quote])))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cityhall.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "import_content", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "CommandError: releases[0] (slug 'x'): blocks[0].speaker.name: fehlt"
    ]


# --- texts, images, people -----------------------------------------------------------------------


@pytest.mark.django_db
def test_texts_are_kept_exactly(tmp_path):
    title = "„Grüße“ aus Düsseldorf – ’s ist Sommer 🌞"
    quote = "Wir sagen: „Danke“ – und meinen’s so. 🙂\nZweiter Absatz mit ß und Ümläuten."
    caption = "Blick auf den Rhein – „Rheinuferpromenade“ 📷"
    data = document(
        release(
            title=title,
            subtitle="Straßen­fest’24",
            lead="Ein Vorspann mit „Anführungszeichen“ und Emoji 🎉.",
            kicker="Städtepartnerschaft",
            tags=["Grüße", "Ökologie"],
            image={
                "file": "images/bild.jpg",
                "alt": "Der Rhein – im Sommer",
                "caption": caption,
                "credit": "© Stadt",
            },
            blocks=[
                {"type": "text", "html": "<p>„Zitat“ – Gedankenstrich, Apostroph’ und 😀</p>"},
                keller_quote(quote),
            ],
        )
    )
    import_file(write_content(tmp_path, data))

    release_ = PressRelease.objects.get()
    assert release_.title == title
    assert release_.subtitle == "Straßenfest’24"  # only Word's invisible soft hyphen is dropped
    assert release_.lead == "Ein Vorspann mit „Anführungszeichen“ und Emoji 🎉."
    assert release_.lead_image_caption == caption
    assert release_.lead_image_alt == "Der Rhein – im Sommer"
    assert sorted(release_.tags.names()) == ["Grüße", "Ökologie"]
    text, quote_block = blocks_of(release_)
    assert text.html == "<p>„Zitat“ – Gedankenstrich, Apostroph’ und 😀</p>"
    assert quote_block.text == quote

    exported = json.loads(export_to(tmp_path / "out"))["releases"][0]
    assert exported["title"] == title
    assert exported["blocks"][1]["text"] == quote
    assert exported["image"]["caption"] == caption
    assert "„Grüße“" in (tmp_path / "out" / "content.json").read_text(encoding="utf-8")  # not \u escaped


@pytest.mark.django_db
def test_decorative_image_needs_no_alt(tmp_path):
    data = document(release(image={"file": "images/bild.jpg", "decorative": True, "caption": "Nur Stimmung"}))
    import_file(write_content(tmp_path, data))

    release_ = PressRelease.objects.get()
    assert release_.image.decorative is True
    assert release_.image.alt_text == ""
    assert release_.lead_image_alt == ""
    exported = json.loads(export_to(tmp_path / "out"))["releases"][0]["image"]
    assert exported == {"file": "images/bild.jpg", "decorative": True, "caption": "Nur Stimmung"}


@pytest.mark.django_db
def test_image_without_alt_and_not_decorative_is_refused(tmp_path):
    data = document(release(slug="ohne-alt", image={"file": "images/bild.jpg"}))
    with pytest.raises(CommandError, match=r"^releases\[0\] \(slug 'ohne-alt'\): image\.alt: fehlt"):
        call_command("import_content", str(write_content(tmp_path, data)))


@pytest.mark.django_db
def test_same_file_used_twice_is_one_library_image_with_overrides(tmp_path):
    data = document(
        release(
            image={
                "file": "images/bild.jpg",
                "alt": "Rathaus von vorn",
                "caption": "Das Rathaus",
                "credit": "© Stadt",
                "copyright_holder": "Stadt",
                "license": "Pressefoto",
                "license_url": "https://example.org/lizenz",
                "title": "Rathaus",
            },
            blocks=[
                {
                    "type": "image",
                    "file": "images/bild.jpg",
                    "alt": "Rathaus im Detail",
                    "caption": "Noch einmal",
                },
                {
                    "type": "image",
                    "file": "./images/bild.jpg",
                    "alt": "Rathaus von vorn",
                    "caption": "Das Rathaus",
                },
            ],
        )
    )
    path = write_content(tmp_path, data)
    import_file(path)
    import_file(path)

    image = Image.objects.get()
    assert (image.alt_text, image.caption, image.credit, image.copyright_holder, image.title) == (
        "Rathaus von vorn",
        "Das Rathaus",
        "© Stadt",
        "Stadt",
        "Rathaus",
    )
    assert (image.license.name, image.license.url) == ("Pressefoto", "https://example.org/lizenz")
    assert image.original_filename == "images/bild.jpg"
    release_ = PressRelease.objects.get()
    assert (release_.image_alt, release_.image_caption) == ("", "")
    first, second = blocks_of(release_)
    assert (first.alt_text, first.caption) == ("Rathaus im Detail", "Noch einmal")
    assert (first.effective_alt, first.effective_caption) == ("Rathaus im Detail", "Noch einmal")
    assert (second.alt_text, second.caption) == ("", "")
    assert (second.effective_alt, second.effective_caption) == ("Rathaus von vorn", "Das Rathaus")


@pytest.mark.django_db
def test_uses_without_caption_keep_showing_none(tmp_path):
    data = document(
        release(
            image={"file": "images/bild.jpg", "alt": "Bild"},
            blocks=[{"type": "image", "file": "images/bild.jpg", "alt": "Bild", "caption": "Nur hier"}],
        )
    )
    import_file(write_content(tmp_path, data))

    release_ = PressRelease.objects.get()
    assert release_.lead_image_caption == ""
    assert blocks_of(release_)[0].effective_caption == "Nur hier"


@pytest.mark.django_db
def test_conflicting_credit_for_one_file_is_refused(tmp_path):
    data = document(
        release(
            image={"file": "images/bild.jpg", "alt": "Bild", "credit": "© A"},
            blocks=[{"type": "image", "file": "images/bild.jpg", "alt": "Bild", "credit": "© B"}],
        )
    )
    with pytest.raises(
        CommandError, match=r"blocks\[0\]\.credit: 'images/bild\.jpg' steht an anderer Stelle"
    ):
        call_command("import_content", str(write_content(tmp_path, data)))
    assert Image.objects.count() == 0


@pytest.mark.django_db
def test_identical_files_under_two_paths_stay_two_images(tmp_path):
    data = document(
        release(
            image={"file": "images/a.jpg", "alt": "Erstes", "caption": "Eins"},
            blocks=[{"type": "image", "file": "images/b.jpg", "alt": "Zweites"}],
        )
    )
    path = write_content(tmp_path, data, images=())
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / "images" / name).write_bytes(image_bytes(size=(70, 40)))
    import_file(path)
    stamps = dict(Image.objects.values_list("original_filename", "updated_at"))
    import_file(path)

    assert dict(Image.objects.values_list("original_filename", "updated_at")) == stamps
    assert sorted(stamps) == ["images/a.jpg", "images/b.jpg"]
    release_ = PressRelease.objects.get()
    assert (release_.lead_image_alt, release_.lead_image_caption) == ("Erstes", "Eins")
    assert (blocks_of(release_)[0].effective_alt, blocks_of(release_)[0].effective_caption) == ("Zweites", "")


@pytest.mark.django_db
def test_image_is_reencoded_and_stripped(tmp_path, settings):
    directory = tmp_path / "in"
    (directory / "images").mkdir(parents=True)
    exif = PILImage.Exif()
    exif[0x013B] = "Geheime Person"  # Artist
    PILImage.new("RGB", (40, 30), (1, 2, 3)).save(directory / "images" / "foto.jpg", "JPEG", exif=exif)
    data = document(release(image={"file": "images/foto.jpg", "alt": "Foto"}))
    (directory / "content.json").write_text(json.dumps(data), encoding="utf-8")

    import_file(directory / "content.json")

    image = Image.objects.get()
    assert (image.width, image.height) == (40, 30)
    assert not image.file.name.endswith("foto.jpg")  # stored under a generated name
    with PILImage.open(image.file.path) as stored:
        assert dict(stored.getexif()) == {}


@pytest.mark.django_db
def test_speaker_role_is_stored_as_given_not_from_office(tmp_path):
    keller = make_person(
        name="Stephan Keller", office={"role": "Stadtdirektor", "organisation": "Landeshauptstadt Düsseldorf"}
    )
    schulze = make_person(
        name="Sven Schulze", office={"role": "Oberbürgermeister", "organisation": "Stadt Chemnitz"}
    )
    without_role = {"type": "quote", "text": "Ohne Funktion.", "speaker": {"name": "Sven Schulze"}}
    empty_role = {
        "type": "quote",
        "text": "Leere Funktion.",
        "speaker": {"name": "Sven Schulze", "role": "", "organisation": ""},
    }
    path = write_content(tmp_path, document(release(blocks=[keller_quote(), without_role, empty_role])))

    import_file(path)

    given, from_office, empty = blocks_of(PressRelease.objects.get())
    assert (given.speaker, given.role, given.organisation) == (
        keller,
        "Oberbürgermeister",
        "Landeshauptstadt Düsseldorf",
    )
    assert (from_office.speaker, from_office.role, from_office.organisation) == (
        schulze,
        "Oberbürgermeister",
        "Stadt Chemnitz",
    )
    assert (empty.role, empty.organisation) == ("", "")
    keller.refresh_from_db()
    assert keller.honorific == "Dr."
    assert sorted(keller.offices.values_list("role", flat=True)) == ["Oberbürgermeister", "Stadtdirektor"]
    assert Person.objects.count() == 2

    import_file(path)
    assert Office.objects.count() == 3
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_person_with_a_note_is_a_different_person(tmp_path):
    namesake = make_person(name="Stephan Keller", note="Vereinsvorsitzender")
    import_file(write_content(tmp_path, document(release(blocks=[keller_quote()]))))

    quote = QuoteBlock.objects.get()
    assert quote.speaker != namesake
    assert quote.speaker.note == ""


@pytest.mark.django_db
def test_contact_is_matched_by_name_and_email(tmp_path):
    existing = make_contact(name="Presseamt", email="presse@example.org", role="alt")
    data = document(
        release(
            slug="a",
            contact={"name": "Presseamt", "email": "presse@example.org", "role": "Amt für Kommunikation"},
        ),
        release(slug="b", contact={"name": "Presseamt", "email": "presse@example.org"}),
        release(slug="c", contact={"name": "Presseamt", "email": "andere@example.org"}),
    )
    import_file(write_content(tmp_path, data))

    assert Contact.objects.count() == 2
    existing.refresh_from_db()
    assert existing.role == "Amt für Kommunikation"
    assert PressRelease.objects.get(slug="b").contact == existing


@pytest.mark.django_db
def test_slug_is_generated_with_german_transliteration(tmp_path):
    data = document(release(slug=None, title="Größere Übung für Straßenfeste"))
    path = write_content(tmp_path, data)
    import_file(path)
    import_file(path)

    assert list(PressRelease.objects.values_list("slug", flat=True)) == [
        "groessere-uebung-fuer-strassenfeste"
    ]


@pytest.mark.django_db
def test_two_releases_with_the_same_slug_are_refused(tmp_path):
    data = document(release(slug=None, title="Gleich"), release(slug="gleich", title="Anders"))
    with pytest.raises(
        CommandError, match=r"^releases\[1\] \(slug 'gleich'\): slug 'gleich' kommt schon in releases\[0\]"
    ):
        call_command("import_content", str(write_content(tmp_path, data)))


@pytest.mark.django_db
def test_rich_text_is_sanitised_on_import(tmp_path):
    data = document(
        release(
            blocks=[
                {
                    "type": "text",
                    "html": '<p onclick="steal()">Hallo<script>alert(1)</script> '
                    '<a href="javascript:alert(1)">Link</a> <a href="https://example.org">ok</a></p>',
                },
                {
                    "type": "background",
                    "title": "Hintergrund",
                    "html": "<p>Text</p><iframe src='x'></iframe>",
                },
            ]
        )
    )
    import_file(write_content(tmp_path, data))

    text, background = blocks_of(PressRelease.objects.get())
    for html in (text.html, background.html):
        assert "script" not in html
        assert "javascript:" not in html
        assert "onclick" not in html
        assert "iframe" not in html
    assert text.html == '<p>Hallo <a>Link</a> <a href="https://example.org">ok</a></p>'
    assert background.html == "<p>Text</p>"


@pytest.mark.django_db
def test_published_at_is_exported_in_berlin_time(tmp_path):
    make_release(slug="sommer", published_at=datetime(2024, 7, 1, 8, 30, tzinfo=UTC))
    make_release(slug="winter", published_at=datetime(2024, 1, 15, 8, 30, tzinfo=UTC))

    exported = json.loads(export_to(tmp_path))["releases"]

    assert [(r["slug"], r["published_at"]) for r in exported] == [
        ("winter", "2024-01-15T09:30:00+01:00"),
        ("sommer", "2024-07-01T10:30:00+02:00"),
    ]


# --- round trip ----------------------------------------------------------------------------------


def build_varied_content():
    """Content as editors make it in the admin: images without original file name, overrides,
    decorative images, a licence, quotes with and without role, several partnerships."""
    chemnitz = make_partnership(partner_city="Chemnitz", country="DE", since=1988, summary="Seit 1988.")
    make_project(chemnitz, title="LaufKulTour", year=2020, summary="Sport")
    later = make_project(chemnitz, title="Kulturhauptstadt", year=2025, end_year=2026)
    later.themes.add(Theme.objects.create(name="Kultur"), Theme.objects.create(name="Jugend"))
    make_project(chemnitz, title="Ohne Jahr", year=None)
    haifa = make_partnership(partner_city="Haifa", country="IL", since=1988)

    licence, _ = License.objects.update_or_create(
        name="CC BY 4.0", defaults={"url": "https://creativecommons.org/licenses/by/4.0/"}
    )
    photo = make_image(
        file=ContentFile(image_bytes(size=(120, 80)), name="a.jpg"),
        title="Rathaus",
        caption="Rathaus",
        alt_text="Das Rathaus",
        license=licence,
    )
    same_name = make_image(
        file=ContentFile(image_bytes("PNG", size=(30, 20)), name="b.png"), title="Rathaus", caption=""
    )
    decorative = make_image(
        file=ContentFile(image_bytes(size=(50, 50)), name="c.jpg"),
        title="Rathaus",
        alt_text="",
        decorative=True,
        caption="",
    )
    keller = make_person(
        name="Stephan Keller",
        honorific="Dr.",
        office={"role": "Oberbürgermeister", "organisation": "Landeshauptstadt Düsseldorf"},
    )
    guest = make_person(name="Gast Ohne Amt")
    contact = make_contact(
        name="Pressestelle", email="presse@example.org", role="Sprecherin", phone="0211 123"
    )

    first = make_release(
        slug="erste",
        kicker="Internationales",
        subtitle="Untertitel",
        lead="Vorspann „mit“ Anführungszeichen",
        published_at=datetime(2021, 1, 28, 13, 0, tzinfo=UTC),
        image=photo,
        image_caption="Rathaus am Morgen",
        contact=contact,
        tags=["Chemnitz", "News", "internationales"],
        partnerships=[chemnitz, haifa],
    )
    add_text(first, "<p>Absatz mit <strong>fett</strong> und <a href='https://example.org'>Link</a></p>")
    add_quote(first, keller, text="Erster Absatz.\nZweiter Absatz.")
    add_quote(first, guest, text="Ohne Funktion.", role="", organisation="")
    add_image(first, photo, alt_text="Das Rathaus, anders beschrieben")
    add_image(first, same_name)
    add_image(first, decorative)
    add_image(first, decorative, alt_text="Hier doch beschrieben")
    add_background(first, title="Hintergrund", html="<p>Seit 1988.</p>")

    draft = make_release(
        slug="entwurf",
        status=PressRelease.Status.DRAFT,
        published_at=datetime(2030, 5, 1, 8, 0, tzinfo=UTC),
    )
    add_text(draft, "<p>Noch nicht fertig.</p>")
    same_time = make_release(slug="a-gleiche-zeit", published_at=datetime(2021, 1, 28, 13, 0, tzinfo=UTC))
    add_image(same_time, photo)


@pytest.mark.django_db
def test_export_import_into_empty_database_export_is_identical(tmp_path):
    build_varied_content()
    first = export_to(tmp_path / "first")
    first_sizes = pixel_sizes(tmp_path / "first")

    wipe_content()
    call_command("import_content", str(tmp_path / "first" / "content.json"))
    second = export_to(tmp_path / "second")

    assert second == first
    assert pixel_sizes(tmp_path / "second") == first_sizes
    data = json.loads(first)
    assert [r["slug"] for r in data["releases"]] == ["a-gleiche-zeit", "erste", "entwurf"]
    assert [p["slug"] for p in data["partnerships"]] == ["chemnitz", "haifa"]
    assert first_sizes == {"rathaus-2.jpg": (50, 50), "rathaus.jpg": (120, 80), "rathaus.png": (30, 20)}
    assert Image.objects.count() == 3


@pytest.mark.django_db
def test_export_then_import_into_the_same_database_changes_nothing(tmp_path):
    build_varied_content()
    before = counts()
    stamps = dict(PressRelease.objects.values_list("slug", "updated_at"))
    first = export_to(tmp_path / "first")

    call_command("import_content", str(tmp_path / "first" / "content.json"))

    assert counts() == before  # the exported image files are recognised, not added again
    assert dict(PressRelease.objects.values_list("slug", "updated_at")) == stamps
    assert export_to(tmp_path / "second") == first


@pytest.mark.django_db
def test_export_command_writes_content_and_images(tmp_path):
    call_command("import_content", str(DEMO))
    call_command("export_content", str(tmp_path / "neu"))

    data = json.loads((tmp_path / "neu" / "content.json").read_text(encoding="utf-8"))
    assert data["format"] == "cityhall-press/1"
    assert data["releases"][0]["image"]["file"] == "images/videoschalte.jpg"
    assert (tmp_path / "neu" / "images" / "videoschalte.jpg").is_file()


# --- partnerships: every field, the seed, the demo file, old files --------------------------------

PARTNERSHIPS_DEMO = ROOT / "demo" / "partnerships.json"


@pytest.mark.django_db
def test_seed_partnership_and_projects_round_trip(tmp_path):
    """The seed's partnership, its four projects and the release naming them survive export, import
    into an empty database and export again, field by field."""
    call_command("import_content", str(DEMO))
    chemnitz = Partnership.objects.get(slug="chemnitz")
    assert (chemnitz.kind, chemnitz.status, chemnitz.wikidata_id) == ("partnership", "active", "Q2795")
    assert chemnitz.office == "Büro für Internationale und Europäische Angelegenheiten"
    assert "Karl-Marx-Stadt" in chemnitz.description
    projects = {p.title: p for p in chemnitz.projects.all()}
    meeting = projects["Bürgerbegegnungsprojekt 30 Jahre Deutsche Einheit"]
    assert (meeting.start, meeting.start_precision, meeting.period) == (
        datetime(2020, 10, 1).date(),
        "month",
        "Oktober 2020",
    )
    assert meeting.participants.startswith("30 Chemnitzerinnen und Chemnitzer")
    release_ = PressRelease.objects.get()
    assert sorted(p.title for p in release_.projects.all()) == sorted(projects)

    def snapshot():
        partnership = Partnership.objects.get(slug="chemnitz")
        fields = [f.name for f in Partnership._meta.concrete_fields if f.name not in ("id", "updated_at")]
        rows = {name: getattr(partnership, name) for name in fields}
        rows["projects"] = sorted(
            (
                p.title,
                p.start,
                p.start_precision,
                p.end,
                p.end_precision,
                p.summary,
                p.participants,
                sorted(t.name for t in p.themes.all()),
                sorted(r.slug for r in p.press_releases.all()),
            )
            for p in partnership.projects.all()
        )
        return rows

    before = snapshot()
    first = export_to(tmp_path / "first")
    wipe_content()
    call_command("import_content", str(tmp_path / "first" / "content.json"))

    assert snapshot() == before
    assert export_to(tmp_path / "second") == first


def build_full_partnership():
    """A partnership using every field of the format, with projects of every kind of date."""
    contact = make_contact(name="Jessica Breitkopf", email="international@example.org", role="Leiterin")
    photo = make_image(
        file=ContentFile(image_bytes(size=(90, 60)), name="kreml.jpg"), title="Kreml", caption="Der Kreml"
    )
    moskau = make_partnership(
        partner_city="Moskau",
        native_name="Москва",
        native_language="ru",
        country="RU",
        kind=Partnership.Kind.PARTNERSHIP,
        status=Partnership.Status.DORMANT,
        status_changed_on=datetime(2022, 2, 25).date(),
        status_reason="Nach dem Angriff auf die Ukraine ausgesetzt.",
        first_contact_year=1991,
        since=1992,
        founded_on=datetime(1992, 6, 1).date(),
        council_decision_on=datetime(1992, 3, 12).date(),
        council_decision="Beschluss Nr. 1/1992",
        office="Büro für Internationale und Europäische Angelegenheiten",
        contact=contact,
        summary="Seit 1992.\nZweite Zeile.",
        description="<p>Mit <em>Hervorhebung</em>.</p>",
        latitude="55.75580",
        longitude="-37.61730",
        wikidata_id="Q649",
        image=photo,
        image_caption="Der Kreml im Winter",
    )
    kultur = Theme.objects.create(name="Kultur")
    make_project(moskau, title="Jahr", year=2017, participants="Eine Delegation").themes.add(kultur)
    make_project(moskau, title="Jahre", year=2015, end_year=2016)
    make_project(moskau, title="Monat", start=datetime(2017, 5, 1).date(), start_precision="month")
    make_project(
        moskau,
        title="Tage",
        start=datetime(2018, 6, 29).date(),
        start_precision="day",
        end=datetime(2018, 7, 1).date(),
        end_precision="day",
    )
    make_project(moskau, title="Gemischt", year=2019, end=datetime(2020, 3, 31).date(), end_precision="month")
    make_project(moskau, title="Ohne Datum", year=None)
    named = make_release(slug="moskauer-tage", partnerships=[moskau])
    named.projects.add(moskau.projects.get(title="Monat"), moskau.projects.get(title="Tage"))
    return moskau


@pytest.mark.django_db
def test_every_partnership_field_round_trips(tmp_path):
    build_full_partnership()
    first = export_to(tmp_path / "first")
    data = json.loads(first)
    exported = data["partnerships"][0]
    assert list(exported) == [
        "slug", "partner_city", "native_name", "native_language", "country", "kind", "status",
        "status_changed_on", "status_reason", "first_contact_year", "since", "founded_on",
        "council_decision_on", "council_decision", "office", "summary", "description", "latitude",
        "longitude", "wikidata", "contact", "image", "projects",
    ]  # fmt: skip
    assert (exported["latitude"], exported["longitude"]) == (55.7558, -37.6173)
    assert exported["image"]["caption"] == "Der Kreml im Winter"
    assert [
        (p["title"], p.get("year"), p.get("start"), p.get("end_year"), p.get("end"))
        for p in exported["projects"]
    ] == [
        ("Jahre", 2015, None, 2016, None),
        ("Jahr", 2017, None, None, None),
        ("Monat", None, "2017-05", None, None),
        ("Tage", None, "2018-06-29", None, "2018-07-01"),
        ("Gemischt", 2019, None, None, "2020-03"),
        ("Ohne Datum", None, None, None, None),
    ]
    assert data["releases"][0]["projects"] == [
        {"partnership": "moskau", "title": "Monat"},
        {"partnership": "moskau", "title": "Tage"},
    ]
    assert "kreml.jpg" in {p.name for p in (tmp_path / "first" / "images").iterdir()}

    wipe_content()
    call_command("import_content", str(tmp_path / "first" / "content.json"))
    assert export_to(tmp_path / "second") == first
    moskau = Partnership.objects.get()
    assert (moskau.status_text, moskau.contact.email, moskau.lead_image_caption) == (
        "ruht seit 25. Februar 2022",
        "international@example.org",
        "Der Kreml im Winter",  # as the page showed it (see "One file, one library image")
    )

    # And importing the same file into the same database changes nothing.
    stamp = moskau.updated_at
    before = counts()
    call_command("import_content", str(tmp_path / "first" / "content.json"))
    assert counts() == before
    assert Partnership.objects.get().updated_at == stamp


@pytest.mark.django_db
def test_the_example_of_the_first_issue_still_imports(tmp_path):
    """Files written before partnerships had more than a city, a country, a year and projects with
    years still import, and export the same way."""
    data = {
        "format": "cityhall-press/1",
        "partnerships": [
            {
                "slug": "chemnitz",
                "partner_city": "Chemnitz",
                "country": "DE",
                "since": 1988,
                "summary": "Die Städtepartnerschaft zwischen Düsseldorf und Chemnitz besteht seit 1988.",
                "projects": [
                    {"title": "LaufKulTour", "year": 2020, "summary": "…", "themes": ["Sport"]},
                    {
                        "title": "Kulturhauptstadt Europas",
                        "year": 2025,
                        "end_year": 2025,
                        "themes": ["Kultur"],
                    },
                ],
            }
        ],
        "releases": [release(partnerships=["chemnitz"])],
    }
    import_file(write_content(tmp_path / "in", data))

    chemnitz = Partnership.objects.get()
    assert (chemnitz.kind, chemnitz.status, chemnitz.since) == ("partnership", "active", 1988)
    culture = chemnitz.projects.get(title="Kulturhauptstadt Europas")
    assert (culture.year, culture.end_year, culture.period) == (2025, 2025, "2025")
    exported = json.loads(export_to(tmp_path / "out"))["partnerships"][0]
    assert [
        {k: v for k, v in p.items() if k in ("title", "year", "end_year")} for p in exported["projects"]
    ] == [
        {"title": "LaufKulTour", "year": 2020},
        {"title": "Kulturhauptstadt Europas", "year": 2025, "end_year": 2025},
    ]
    assert "projects" not in json.loads(export_to(tmp_path / "out"))["releases"][0]


@pytest.mark.django_db
def test_demo_partnerships_file_imports_twice_and_is_in_exported_form(tmp_path):
    call_command("import_content", str(PARTNERSHIPS_DEMO))
    before = counts()
    call_command("import_content", str(PARTNERSHIPS_DEMO))
    assert counts() == before

    by_slug = {p.slug: p for p in Partnership.objects.all()}
    assert sorted(by_slug) == [
        "chiba", "chongqing", "czernowitz", "haifa", "moskau", "palermo", "reading", "warschau",
    ]  # fmt: skip
    moskau = by_slug["moskau"]
    assert (moskau.status, moskau.status_changed_on.isoformat(), moskau.since) == (
        "dormant",
        "2022-02-25",
        1992,
    )
    assert (by_slug["reading"].first_contact_year, by_slug["reading"].since) == (1947, 1988)
    assert by_slug["warschau"].native_name == "Warszawa"
    assert all(p.has_coordinates and p.wikidata_id for p in by_slug.values())
    assert [p.slug for p in by_slug.values() if not p.is_active] == ["moskau"]

    exported = json.loads(export_to(tmp_path / "out"))
    assert (
        exported["partnerships"] == json.loads(PARTNERSHIPS_DEMO.read_text(encoding="utf-8"))["partnerships"]
    )


def _partnership(**fields):
    data = {"slug": "moskau", "partner_city": "Moskau", "country": "RU"}
    data.update(fields)
    return data


PARTNERSHIP_ERRORS = [
    (
        {"projects": [{"title": "P", "year": 2021, "end_year": 2020}]},
        "projects[0].end_year: Das Ende darf nicht vor dem Beginn liegen.",
    ),
    (
        {"projects": [{"title": "P", "start": "2021-03", "end": "2021-02"}]},
        "projects[0].end: Das Ende darf nicht vor dem Beginn liegen.",
    ),
    (
        {"projects": [{"title": "P", "end": "2021"}]},
        "projects[0].end: Ein Ende ohne Beginn ist nicht möglich.",
    ),
    (
        {"projects": [{"title": "P", "year": 2020, "start": "2020-10"}]},
        "projects[0].start: nur eines von year und start",
    ),
    (
        {"projects": [{"title": "P", "start": "Oktober 2020"}]},
        "projects[0].start: 'Oktober 2020' ist kein Jahr, Monat oder Tag",
    ),
    ({"projects": [{"title": "P", "start": "2020-13"}]}, "projects[0].start: '2020-13' ist kein Jahr"),
    ({"projects": [{"title": "P", "dauer": 3}]}, "projects[0]: unbekannte Felder: dauer"),
    (
        {"status": "dormant"},
        "status_changed_on: Bei einer ruhenden oder beendeten Partnerschaft bitte angeben, seit wann.",
    ),
    (
        {"status": "eingeschlafen", "status_changed_on": "2022-02-25"},
        "status: Wert 'eingeschlafen' ist keine gültige Option.",
    ),
    (
        {"kind": "freundschaft"},
        "kind: Wert 'freundschaft' ist keine gültige Option.",
    ),
    (
        {"status": "dormant", "status_changed_on": "25.02.2022"},
        "status_changed_on: '25.02.2022' ist kein Datum",
    ),
    ({"founded_on": "1992-02-30"}, "founded_on: '1992-02-30' ist kein Datum"),
    ({"country": "XX"}, "country: Wert 'XX' ist keine gültige Option."),
    ({"wikidata": "Moskau"}, "wikidata: Eine Wikidata-Kennung beginnt mit Q"),
    ({"latitude": 55.7}, "longitude: Bitte Breiten- und Längengrad zusammen angeben."),
    ({"latitude": 95, "longitude": 37}, "latitude: Dieser Wert muss kleiner oder gleich 90 sein."),
    ({"latitude": "55.7", "longitude": 37}, "latitude: muss eine Zahl sein"),
    (
        {"native_name": "Москва"},
        "native_language: Bitte angeben, in welcher Sprache der Name geschrieben ist.",
    ),
    (
        {"native_name": "Москва", "native_language": "Russisch"},
        "native_language: Ein Sprachkürzel nach BCP 47",
    ),
    ({"since": 1993, "founded_on": "1992-06-01"}, "since: Das Jahr passt nicht zum Gründungsdatum (1992)."),
    (
        {"first_contact_year": 1995, "since": 1992},
        "first_contact_year: Der erste Kontakt kann nicht nach der Gründung liegen.",
    ),
    ({"contact": {"name": "X", "email": "kaputt"}}, "contact.email: Bitte gültige E-Mail-Adresse eingeben."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "message"), PARTNERSHIP_ERRORS)
def test_broken_partnership_is_refused_with_one_line(tmp_path, fields, message):
    data = document(partnerships=[_partnership(**fields)])
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(write_content(tmp_path, data)))
    assert str(raised.value).startswith(f"partnerships[0] (slug 'moskau'): {message}")
    assert Partnership.objects.count() == 0


@pytest.mark.django_db
def test_release_naming_an_unknown_project_imports_nothing(tmp_path):
    data = document(
        release(partnerships=["chemnitz"], projects=[{"partnership": "chemnitz", "title": "Gibt es nicht"}]),
        partnerships=[
            {"slug": "chemnitz", "partner_city": "Chemnitz", "country": "DE", "projects": [{"title": "P"}]}
        ],
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(write_content(tmp_path, data)))
    assert str(raised.value) == (
        "releases[0] (slug 'eine-mitteilung'): projects[0]: "
        "Projekt 'Gibt es nicht' der Städtepartnerschaft 'chemnitz' unbekannt"
    )
    assert counts()["Partnership"] == 0


@pytest.mark.django_db
def test_reimport_replaces_the_projects_a_release_names(tmp_path):
    chemnitz = {
        "slug": "chemnitz",
        "partner_city": "Chemnitz",
        "country": "DE",
        "projects": [{"title": "A", "year": 2020}, {"title": "B", "year": 2021}],
    }
    data = document(release(projects=[{"partnership": "chemnitz", "title": "A"}]), partnerships=[chemnitz])
    path = write_content(tmp_path, data)
    import_file(path)
    assert [p.title for p in PressRelease.objects.get().projects.all()] == ["A"]

    data["releases"][0]["projects"] = [{"partnership": "chemnitz", "title": "B"}]
    write_content(tmp_path, data)
    result = import_file(path)
    assert [p.title for p in PressRelease.objects.get().projects.all()] == ["B"]
    assert result.updated == {"Pressemitteilungen": 1}

    del data["releases"][0]["projects"]
    write_content(tmp_path, data)
    import_file(path)
    assert not PressRelease.objects.get().projects.exists()


@pytest.mark.django_db
def test_command_shows_progress_while_it_imports(tmp_path):
    releases = [release(slug=f"nr-{i}", title=f"Nummer {i}") for i in range(3)]
    path = write_content(tmp_path, document(*releases))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_content", str(path), stdout=out, stderr=err)
    assert "Pressemitteilungen: 3 von 3" in err.getvalue()
    assert "Pressemitteilungen: 3 neu" in out.getvalue()
