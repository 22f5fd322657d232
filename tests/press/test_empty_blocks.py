"""Nothing is stored that the import would refuse: a text or background block whose HTML was only
disallowed markup is empty once sanitised, and that is an error of the model, shown at the field in
the admin and located by the import, so an export can always be imported again."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from press.models import BackgroundBlock, PressRelease, TextBlock
from press.models.blocks import EMPTY_AFTER_SANITISING
from tests.factories import add_background, add_text, make_release, make_user
from tests.press.formdata import form_data
from tests.press.test_interchange import document, release, write_content

pytestmark = pytest.mark.django_db

ONLY_SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def draft():
    press_release = make_release(title="Sommerfest im Rathaus", status=PressRelease.Status.DRAFT)
    add_text(press_release, "<p>Alle sind eingeladen.</p>", ordering=10)
    add_background(press_release, title="Hintergrund", html="<p>Seit 1988.</p>", ordering=20)
    return press_release


def _prefix(data, model):
    return next(key for key in data if key.endswith("-0-html") and model in key).removesuffix("-0-html")


def _post_block_html(client, press_release, model, html):
    client.force_login(make_user("redakteurin", "Redaktion"))
    url = reverse("admin:press_pressrelease_change", args=[press_release.pk])
    data = form_data(client.get(url))
    return client.post(url, {**data, f"{_prefix(data, model)}-0-html": html})


@pytest.mark.parametrize("model", [TextBlock, BackgroundBlock])
def test_the_model_refuses_html_that_is_empty_once_sanitised(draft, model):
    block = model.objects.get(parent=draft)
    block.html = ONLY_SCRIPT

    with pytest.raises(ValidationError) as raised:
        block.full_clean()

    assert raised.value.message_dict == {"html": [str(EMPTY_AFTER_SANITISING)]}
    block.html = "<p>Text</p><script>alert('x')</script>"
    block.full_clean()  # something is left: cleaned, not refused
    assert block.html == "<p>Text</p>"


def test_an_empty_field_keeps_djangos_own_message_only(draft):
    block = TextBlock.objects.get(parent=draft)
    block.html = ""

    with pytest.raises(ValidationError) as raised:
        block.full_clean()

    assert raised.value.message_dict == {"html": ["Dieses Feld darf nicht leer sein."]}


def _bodies(press_release):
    return [
        b.html for model in (TextBlock, BackgroundBlock) for b in model.objects.filter(parent=press_release)
    ]


@pytest.mark.parametrize("model", ["textblock", "backgroundblock"])
def test_the_admin_shows_a_field_error_and_stores_nothing(client, draft, model):
    before, version = _bodies(draft), draft.version

    response = _post_block_html(client, draft, model, ONLY_SCRIPT)

    assert response.status_code == 200  # the form again, not a redirect
    assert "Der Text ist nach dem Bereinigen leer" in response.content.decode()
    assert _bodies(draft) == before
    draft.refresh_from_db()
    assert draft.version == version


@pytest.mark.parametrize(
    "block",
    [
        {"type": "text", "html": ONLY_SCRIPT},
        {"type": "background", "title": "Hintergrund", "html": ONLY_SCRIPT},
    ],
)
def test_the_import_refuses_it_located_with_the_models_message(tmp_path, block):
    data = document(release(blocks=[{"type": "text", "html": "<p>Text</p>"}, block]))

    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(write_content(tmp_path / "in", data)))

    assert str(raised.value) == (
        f"releases[0] (slug 'eine-mitteilung'): blocks[1].html: {EMPTY_AFTER_SANITISING}"
    )
    assert not PressRelease.objects.exists()


def test_what_the_admin_lets_through_the_export_carries_and_the_import_takes(client, draft, tmp_path):
    """The round trip that broke: admin save, export, import of that export."""
    _post_block_html(client, draft, "textblock", ONLY_SCRIPT)

    call_command("export_content", str(tmp_path / "out"))
    exported = json.loads((tmp_path / "out" / "content.json").read_text(encoding="utf-8"))
    call_command("import_content", str(tmp_path / "out" / "content.json"))

    (exported_release,) = exported["releases"]
    assert all(block["html"] for block in exported_release["blocks"] if "html" in block)
    assert TextBlock.objects.get(parent=draft).html == "<p>Alle sind eingeladen.</p>"
