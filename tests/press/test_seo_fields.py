"""SEO fields of a release: a shorter title for the browser tab, a description for search engines and a text
for social media, each falling back to the title or the lead; carried by the interchange format."""

import re

import extruct
import pytest
from django.core.management import call_command

from press.models import PressRelease
from tests.factories import make_release
from tests.press.test_interchange import document, export_to, release, write_content

pytestmark = pytest.mark.django_db


def meta(page, attribute, name):
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', page)
    return found.group(1) if found else None


def test_fields_fill_title_description_and_social_cards(client):
    item = make_release(
        title="Oberbürgermeister Keller und Oberbürgermeister Schulze eröffnen die Partnerschaftswoche",
        lead="Der lange Vorspann.",
        browser_title="Partnerschaftswoche eröffnet",
        meta_description="Düsseldorf und Chemnitz feiern eine Woche lang.",
        social_text="Eine Woche Chemnitz in Düsseldorf!",
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert "<title>Partnerschaftswoche eröffnet – " in page
    assert meta(page, "name", "description") == "Düsseldorf und Chemnitz feiern eine Woche lang."
    assert meta(page, "property", "og:description") == "Eine Woche Chemnitz in Düsseldorf!"
    assert meta(page, "name", "twitter:description") == "Eine Woche Chemnitz in Düsseldorf!"
    og = extruct.extract(page, syntaxes=["opengraph"])["opengraph"][0]["properties"]
    assert ("og:title", item.title) in og  # the card keeps the full title


def test_empty_fields_fall_back_to_title_and_lead(client):
    item = make_release(title="Radwege am Rhein", lead="Neue Radwege entstehen.")
    page = client.get(item.get_absolute_url()).content.decode()
    assert "<title>Radwege am Rhein – " in page
    assert meta(page, "name", "description") == "Neue Radwege entstehen."
    assert meta(page, "property", "og:description") == "Neue Radwege entstehen."


def test_interchange_carries_the_fields(tmp_path):
    data = document(
        release(browser_title="Kurz", meta_description="Für Suchmaschinen.", social_text="Teilen!")
    )
    call_command("import_content", str(write_content(tmp_path / "in", data)), verbosity=0)
    stored = PressRelease.objects.get(slug="eine-mitteilung")
    assert (stored.browser_title, stored.meta_description, stored.social_text) == (
        "Kurz",
        "Für Suchmaschinen.",
        "Teilen!",
    )
    exported = export_to(tmp_path / "out")
    assert '"social_text": "Teilen!"' in exported and '"browser_title": "Kurz"' in exported
