"""Text pasted from Word: stored clean by every way of writing (admin, import with bulk_create, shell),
so feeds and search carry no soft hyphens or zero-width spaces; rows stored before keep the feed valid."""

import json

import feedparser
import pytest
from django.core.management import call_command
from taggit.models import Tag

from press.models import PressRelease, QuoteBlock, TextBlock
from tests.factories import add_quote, add_text, make_person, make_release

pytestmark = pytest.mark.django_db

INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u2060", "\ufeff", "\r"}
FEEDS = ["/feeds/pressemitteilungen.atom", "/feeds/pressemitteilungen.rss"]


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("url", FEEDS)
def test_feed_carries_the_pasted_text_clean(client, url):
    release = make_release(title="Neues Jugend\u00adzentrum", lead="Für Schüler\u200binnen\r\nund Eltern.")
    release.tags.add("Jugend\u00adarbeit")
    add_text(release, "<p>Das Jugend&shy;zentrum</p><p>· Werkstatt</p><p>· Café</p>")
    add_quote(release, make_person(), text="Ein Ort für Schüler\u200binnen.")
    response, feed = parse_feed(client, url)
    body = response.content.decode()
    assert not INVISIBLE & set(body)
    assert "&#173;" not in body and "&shy;" not in body
    (entry,) = feed.entries
    assert entry.title == "Neues Jugendzentrum"
    assert "Jugendarbeit" in [tag.term for tag in entry.tags]
    assert "<li><p>Werkstatt</p></li>" in body.replace("&lt;", "<").replace("&gt;", ">")


@pytest.mark.parametrize("url", FEEDS)
def test_rows_stored_before_the_normaliser_still_give_a_valid_feed(client, url):
    release = make_release(title="Alt")
    # update() skips every save hook, as rows written by an older version of the site did.
    PressRelease.objects.filter(pk=release.pk).update(title="Alt\x0bneu\x01", lead="Vor\x1fspann")
    _, feed = parse_feed(client, url)
    assert feed.entries[0].title == "Alt neu"


def test_titles_get_plain_spaces_and_tags_are_normalised_too():
    release = make_release(title="Rat\u00a0tagt", subtitle="Am\u202fMontag")
    release.tags.add("Kultur\u200b")
    release.refresh_from_db()
    assert (release.title, release.subtitle) == ("Rat tagt", "Am Montag")
    assert list(Tag.objects.values_list("name", flat=True)) == ["Kultur"]


def test_import_normalises_quotes_written_with_bulk_create(tmp_path):
    data = {
        "format": "cityhall-press/1",
        "partnerships": [],
        "releases": [
            {
                "slug": "jugendzentrum",
                "title": "Jugend\u00adzentrum",
                "published_at": "2024-05-02T10:00:00+02:00",
                "status": "published",
                "blocks": [
                    {"type": "text", "html": "<p>Schüler\u200binnen</p>"},
                    {
                        "type": "quote",
                        "text": "Ein Ort für Schüler\u200binnen.\r\nUnd Eltern.",
                        "speaker": {"name": "Erika Muster", "role": "Leiterin\u00a0des Zentrums"},
                    },
                ],
            }
        ],
    }
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_content", str(path))
    quote = QuoteBlock.objects.get()
    assert quote.text == "Ein Ort für Schülerinnen.\nUnd Eltern."
    assert quote.role == "Leiterin des Zentrums"
    assert TextBlock.objects.get().html == "<p>Schülerinnen</p>"
    assert PressRelease.objects.get().title == "Jugendzentrum"
    # Importing the same file again finds nothing changed (the file's text compares normalised).
    before = PressRelease.objects.get().updated_at
    call_command("import_content", str(path))
    assert PressRelease.objects.get().updated_at == before
