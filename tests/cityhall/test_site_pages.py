"""The site's own pages: Impressum and Datenschutzerklärung written in the admin and linked from every page,
the demo's pages in Leichte Sprache (BITV 2.0 § 4), loaded again and again without duplicates."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cityhall.library.models import EasyLanguagePage, LegalPage
from tests.factories import make_user

pytestmark = pytest.mark.django_db
DEMO = "demo/site_pages.json"


def test_legal_pages_are_linked_from_every_page_and_served_once_written(client):
    home = client.get("/").content.decode()
    assert 'href="/impressum/"' in home and 'href="/datenschutz/"' in home
    assert client.get("/impressum/").status_code == 404  # not written yet: no empty legal page

    LegalPage.objects.create(kind="impressum", title="Impressum", body="<p>Landeshauptstadt Düsseldorf</p>")
    page = client.get("/impressum/").content.decode()
    assert "<h1>Impressum</h1>" in page and "Landeshauptstadt Düsseldorf" in page


def test_feedback_form_links_the_privacy_notice(client):
    assert 'href="/datenschutz/"' in client.get(reverse("cityhall:accessibility")).content.decode()


def test_demo_pages_load_twice_without_duplicates(client):
    call_command("load_site_pages", DEMO, verbosity=0)
    call_command("load_site_pages", DEMO, verbosity=0)
    assert LegalPage.objects.count() == 2
    slugs = set(EasyLanguagePage.objects.values_list("slug", flat=True))
    assert {"was-bietet-diese-website", "wie-benutze-ich-diese-website"} <= slugs
    assert EasyLanguagePage.objects.count() == 3
    # The home page links them (BITV 2.0 § 4), so "Leichte Sprache" no longer leads to an empty page.
    home = client.get("/").content.decode()
    assert 'href="/leichte-sprache/was-bietet-diese-website/"' in home
    assert client.get("/datenschutz/").status_code == 200


def test_a_refused_page_writes_nothing_and_names_the_reason(tmp_path):
    bad = tmp_path / "pages.json"
    bad.write_text(
        json.dumps(
            {
                "easy_language_pages": [{"slug": "gut", "title": "Gut", "body": "<p>Gut</p>"}],
                "legal_pages": [{"kind": "agb", "title": "AGB", "body": "<p>x</p>"}],
            }
        )
    )
    with pytest.raises(CommandError, match="agb"):
        call_command("load_site_pages", str(bad), verbosity=0)
    assert not EasyLanguagePage.objects.exists()
    with pytest.raises(CommandError, match=r"nicht-da\.json"):
        call_command("load_site_pages", str(tmp_path / "nicht-da.json"), verbosity=0)


def test_legal_pages_cannot_be_deleted_and_only_two_exist(client):
    client.force_login(make_user("admin", superuser=True))
    call_command("load_site_pages", DEMO, verbosity=0)
    imprint = LegalPage.objects.get(kind="impressum")
    assert client.get(reverse("admin:cityhall_legalpage_delete", args=[imprint.pk])).status_code == 403
    response = client.post(
        reverse("admin:cityhall_legalpage_add"),
        {"kind": "impressum", "title": "Noch eins", "body": "<p>x</p>"},
    )
    assert response.status_code == 200
    assert (
        "Rechtliche Seite mit diesem Wert für das Feld Seite existiert bereits." in response.content.decode()
    )
    assert LegalPage.objects.count() == 2
