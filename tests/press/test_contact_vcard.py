"""The press contact of a release as a vCard: importable (RFC 2426 lines, CRLF, escaped), and only for a
release the visitor may see."""

import pytest

from press.models import PressRelease
from tests.factories import make_contact, make_release

pytestmark = pytest.mark.django_db


def test_public_release_offers_its_contact_as_vcard(client):
    contact = make_contact(name="Kerstin Jäckel", role="Pressesprecherin; Amt 13", phone="+49 211 89-93131")
    release = make_release(contact=contact)
    page = client.get(release.get_absolute_url()).content.decode()
    url = f"/pressemitteilungen/{release.slug}/pressekontakt.vcf"
    assert f'href="{url}"' in page

    response = client.get(url)
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    lines = response.content.decode().split("\r\n")
    assert lines[:3] == ["BEGIN:VCARD", "VERSION:3.0", "FN:Kerstin Jäckel"]
    assert "N:Jäckel;Kerstin;;;" in lines
    assert "TITLE:Pressesprecherin\\; Amt 13" in lines
    assert f"EMAIL;TYPE=INTERNET,WORK:{contact.email}" in lines
    assert "TEL;TYPE=WORK,VOICE:+49 211 89-93131" in lines
    assert lines[-2:] == ["END:VCARD", ""]
    assert all(len(line.encode()) <= 75 for line in lines)


def test_contact_of_an_unpublished_release_is_not_served(client):
    draft = make_release(contact=make_contact(), status=PressRelease.Status.DRAFT)
    assert client.get(f"/pressemitteilungen/{draft.slug}/pressekontakt.vcf").status_code == 404
    without = make_release()
    assert client.get(f"/pressemitteilungen/{without.slug}/pressekontakt.vcf").status_code == 404
