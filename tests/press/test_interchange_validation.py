"""The import asks the models: every row it writes is ``full_clean()``-ed, and the model's own message
is reported in one line, located in the file. The reader itself only knows shapes and types."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from cityhall.library.models import Person
from partnerships.models import Partnership
from press.models import PressRelease, QuoteBlock
from tests.press.test_interchange import document, keller_quote, release, write_content

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "interchange.schema.json"

pytestmark = pytest.mark.django_db


def model_message(instance, field):
    """What the model itself says about ``field`` of ``instance``."""
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return " ".join(raised.value.message_dict[field])


def import_error(tmp_path, data):
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(write_content(tmp_path, data)))
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_partnership_with_a_reserved_slug_is_refused_with_the_models_message(tmp_path):
    data = document(partnerships=[{"slug": "themen", "partner_city": "Themen", "country": "DE"}])

    error = import_error(tmp_path, data)

    expected = model_message(Partnership(slug="themen", partner_city="Themen", country="DE"), "slug")
    assert error == f"partnerships[0] (slug 'themen'): slug: {expected}"
    assert not Partnership.objects.exists()


def test_release_with_a_reserved_slug_is_refused_with_the_models_message(tmp_path):
    error = import_error(tmp_path, document(release(slug="archiv")))

    expected = model_message(PressRelease(slug="archiv", title="Eine Mitteilung"), "slug")
    assert error == f"releases[0] (slug 'archiv'): slug: {expected}"
    assert not PressRelease.objects.exists()


def test_release_titled_with_digits_only_and_no_slug_imported_twice_is_one_release(tmp_path):
    path = write_content(tmp_path, document(release(slug=None, title="2025")))

    call_command("import_content", str(path))
    call_command("import_content", str(path))

    assert list(PressRelease.objects.values_list("slug", flat=True)) == [PressRelease.default_slug("2025")]


def test_partnership_without_slug_named_like_a_reserved_word_imported_twice_is_one_partnership(tmp_path):
    path = write_content(tmp_path, document(partnerships=[{"partner_city": "Themen", "country": "DE"}]))

    call_command("import_content", str(path))
    call_command("import_content", str(path))

    assert list(Partnership.objects.values_list("slug", flat=True)) == [Partnership.default_slug("Themen")]


def test_a_rule_added_to_a_models_clean_is_enforced_by_the_import(tmp_path, monkeypatch):
    """Nothing in the importer knows this rule: it lives in the model only."""

    def clean(self):
        if not self.text.startswith("„"):
            raise ValidationError({"text": "Zitate beginnen mit „."})

    monkeypatch.setattr(QuoteBlock, "clean", clean)
    data = document(release(blocks=[{"type": "text", "html": "<p>Text</p>"}, keller_quote("Ohne.")]))

    error = import_error(tmp_path, data)

    assert error == "releases[0] (slug 'eine-mitteilung'): blocks[1].text: Zitate beginnen mit „."
    assert not PressRelease.objects.exists()


def test_a_rule_added_to_the_person_model_is_located_at_the_speaker(tmp_path, monkeypatch):
    def clean(self):
        if self.name.isupper():
            raise ValidationError({"name": "Bitte nicht in Großbuchstaben."})

    monkeypatch.setattr(Person, "clean", clean)
    quote = keller_quote()
    quote["speaker"]["name"] = "STEPHAN KELLER"

    error = import_error(tmp_path, document(release(slug="laut", blocks=[quote])))

    assert error == "releases[0] (slug 'laut'): blocks[0].speaker.name: Bitte nicht in Großbuchstaben."
    assert not Person.objects.exists()


def test_a_too_long_speaker_name_is_refused_with_the_models_message_located(tmp_path):
    quote = keller_quote()
    quote["speaker"]["name"] = "x" * 201
    data = document(release(blocks=[{"type": "text", "html": "<p>Text</p>"}, quote]))

    error = import_error(tmp_path, data)

    expected = model_message(Person(name="x" * 201), "name")
    assert error == f"releases[0] (slug 'eine-mitteilung'): blocks[1].speaker.name: {expected}"
    assert not PressRelease.objects.exists()


def test_a_model_error_in_a_later_release_writes_nothing(tmp_path):
    data = document(release(slug="gut"), release(slug="schlecht", kicker="k" * 121))

    error = import_error(tmp_path, data)

    expected = model_message(PressRelease(title="x", kicker="k" * 121), "kicker")
    assert error == f"releases[1] (slug 'schlecht'): kicker: {expected}"
    assert not PressRelease.objects.exists()


def test_the_published_schema_is_the_one_the_code_uses():
    """docs/interchange.schema.json is generated: python -m press.interchange.schema > docs/interchange.schema.json"""
    from press.interchange.schema import json_schema

    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema()
    assert committed["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_module_prints_the_schema():
    done = subprocess.run(
        [sys.executable, "-m", "press.interchange.schema"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout == SCHEMA_FILE.read_text(encoding="utf-8")


def test_partnership_with_only_a_founding_date_imported_twice_changes_nothing(tmp_path):
    """The year of the founding is derived by the model (in clean(), so the import sees it before it
    compares), not by the importer: a second import of the same file writes nothing."""
    data = document(
        partnerships=[
            {"slug": "chemnitz", "partner_city": "Chemnitz", "country": "DE", "founded_on": "1988-10-27"}
        ]
    )
    path = write_content(tmp_path, data)
    call_command("import_content", str(path))
    first = Partnership.objects.get()
    assert first.since == 1988

    call_command("import_content", str(path))

    assert Partnership.objects.get().updated_at == first.updated_at
