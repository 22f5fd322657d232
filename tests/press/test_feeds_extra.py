"""Full-content feeds (all releases and per tag), control characters from word processors, the sitemap,
JSON-LD read by a real extractor, social cards, the month archive and related releases."""

import datetime
from xml.etree import ElementTree

import extruct
import feedparser
import pytest
from django.utils import timezone

from cityhall.library.models import EasyLanguagePage, Image
from press.models import PressRelease
from tests.factories import (
    add_image,
    add_quote,
    add_text,
    make_image,
    make_partnership,
    make_person,
    make_release,
)
from tests.htmltree import parse
from tests.press.seed import BERLIN, SEED_CAPTION, hidden_releases, make_seed_release

pytestmark = pytest.mark.django_db

ALL_FEEDS = ["/feeds/pressemitteilungen.atom", "/feeds/pressemitteilungen.rss"]
TAG_FEEDS = ["/feeds/schlagwort/chemnitz.atom", "/feeds/schlagwort/chemnitz.rss"]
PARTNERSHIP_FEEDS = ["/feeds/partnerschaft/chemnitz.atom", "/feeds/partnerschaft/chemnitz.rss"]
WORD_PASTE = "Rat\x0btagt\x0c heute\x01\x1f\x7f – „Zitat“\x08"


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def entry_content(entry):
    return entry.content[0].value if "content" in entry else entry.get("content_encoded", "")


@pytest.mark.parametrize("url", ALL_FEEDS + TAG_FEEDS + PARTNERSHIP_FEEDS)
def test_feed_entries_carry_the_full_text_with_images_and_credits(client, url):
    release = make_seed_release()
    (entry,) = parse_feed(client, url).entries
    content = entry_content(entry)
    doc = parse(content)

    assert entry.link == "http://testserver" + release.get_absolute_url()
    assert "Trotz pandemiebedingter Einschränkungen" in content
    assert "Auch in Zeiten der Pandemie" in content  # the quote
    assert "Hintergrund Städtepartnerschaft" in content
    images = doc.find_all("img")
    assert images[0].attrs["src"].startswith("http://testserver/")
    assert images[0].attrs["alt"] == "Bildschirm mit zwei Oberbürgermeistern in einer Videokonferenz"
    assert "© Landeshauptstadt Düsseldorf" in doc.find("figure").text
    assert SEED_CAPTION in doc.find("figure").text
    # Media RSS: every image with its credit, readable by feedparser.
    assert [m["url"].startswith("http://testserver/") for m in entry.media_content] == [True, True]
    assert entry.media_credit[0]["content"] == "© Landeshauptstadt Düsseldorf"
    # The lead image as enclosure.
    (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0


@pytest.mark.parametrize("url", ALL_FEEDS + TAG_FEEDS + PARTNERSHIP_FEEDS)
def test_control_characters_from_word_processors_never_break_a_feed(client, url):
    release = make_seed_release(title=f"Titel {WORD_PASTE}", lead=f"Vorspann {WORD_PASTE}")
    release.tags.add(f"Schlag{WORD_PASTE}")
    add_text(release, f"<p>Text {WORD_PASTE}</p>")
    add_quote(release, make_person(name="Zitierte Person"), f"Zitat {WORD_PASTE}")
    add_image(release, make_image(caption=f"Bild {WORD_PASTE}", credit=f"Foto {WORD_PASTE}"))
    feed = parse_feed(client, url)
    (entry,) = feed.entries
    assert entry.title == "Titel Rat tagt  heute – „Zitat“"
    assert "Text Rat tagt" in entry_content(entry)


def test_control_characters_never_break_the_sitemap(client):
    make_seed_release(title=f"Titel {WORD_PASTE}")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ElementTree.fromstring(response.content)


@pytest.mark.parametrize("url", TAG_FEEDS)
def test_tag_feed_holds_only_published_releases_with_that_tag(client, url):
    release = make_seed_release()
    make_release(title="Anderes Thema", tags=["Sport"])
    for hidden in hidden_releases():
        hidden.tags.add("Chemnitz")
    feed = parse_feed(client, url)
    assert [entry.title for entry in feed.entries] == [release.title]
    assert feed.feed.title == "Pressemitteilungen zum Schlagwort „Chemnitz“ – Landeshauptstadt Düsseldorf"
    assert feed.feed.link == "http://testserver/pressemitteilungen/schlagwort/chemnitz/"


@pytest.mark.parametrize("suffix", [".atom", ".rss"])
def test_tag_feed_of_an_unknown_or_draft_only_tag_is_404(client, suffix):
    hidden_releases()  # tagged "Internationales", never public
    assert client.get(f"/feeds/schlagwort/internationales{suffix}").status_code == 404
    assert client.get(f"/feeds/schlagwort/gibt-es-nicht{suffix}").status_code == 404


def test_tag_page_links_its_feeds(client):
    make_seed_release()
    doc = parse(client.get("/pressemitteilungen/schlagwort/chemnitz/").content)
    alternates = {link.attrs["href"] for link in doc.find_all("link", rel="alternate")}
    assert "http://testserver/feeds/schlagwort/chemnitz.atom" in alternates
    assert "http://testserver/feeds/schlagwort/chemnitz.rss" in alternates


def test_feed_times_are_berlin_time(client):
    make_seed_release()
    response = client.get(ALL_FEEDS[1])
    assert b"<pubDate>Thu, 28 Jan 2021 14:00:00 +0100</pubDate>" in response.content


# --- JSON-LD, read by extruct ------------------------------------------------------------------------------


def test_jsonld_is_read_by_extruct_as_news_article_with_image_credits(client):
    release = make_seed_release()
    response = client.get(release.get_absolute_url())
    data = extruct.extract(
        response.content.decode(),
        base_url="http://testserver/",
        syntaxes=["json-ld", "opengraph"],
        uniform=True,
    )
    (article,) = [item for item in data["json-ld"] if item.get("@type") == "NewsArticle"]
    assert article["headline"] == release.title
    assert article["datePublished"] == "2021-01-28T14:00:00+01:00"
    images = article["image"]
    assert all(image["@type"] == "ImageObject" for image in images)
    assert images[0]["creditText"] == "© Landeshauptstadt Düsseldorf"
    assert images[0]["copyrightNotice"] == "Landeshauptstadt Düsseldorf"
    assert images[0]["license"] == "https://example.org/lizenz"
    assert images[1]["creditText"] == "© Stadt Chemnitz"
    (og,) = data["opengraph"]
    assert og["og:title"] == release.title
    assert og["@type"] == "article"


def test_twitter_card_uses_the_social_image(client):
    release = make_seed_release()
    doc = parse(client.get(release.get_absolute_url()).content)
    meta = {
        m.attrs.get("name") or m.attrs.get("property"): m.attrs.get("content") for m in doc.find_all("meta")
    }
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["twitter:image:alt"] == "Bildschirm mit zwei Oberbürgermeistern in einer Videokonferenz"
    assert meta["twitter:title"] == release.title


def test_page_without_image_has_a_summary_card(client):
    release = make_release()
    doc = parse(client.get(release.get_absolute_url()).content)
    assert doc.find("meta", name="twitter:card").attrs["content"] == "summary"
    assert doc.find("meta", property="og:image") is None


# --- Month archive ---------------------------------------------------------------------------------------


def at(year, month, day=15, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=BERLIN)


def test_month_archive_lists_the_month_in_berlin_time(client):
    make_release(title="Januar", published_at=at(2021, 1, 31, 23))  # 22:00 UTC, still January in Berlin
    make_release(title="Februar", published_at=at(2021, 2, 1, 0, ) + datetime.timedelta(minutes=30))  # fmt: skip
    make_release(title="Anderes Jahr", published_at=at(2020, 1))
    doc = parse(client.get("/pressemitteilungen/archiv/2021/01/").content)
    assert doc.find("h1").text == "Pressemitteilungen Januar 2021"
    assert [h.text for h in doc.find_all("h2", class_="card__title")] == ["Januar"]
    assert doc.find("time").text.startswith("31. Januar 2021")


def test_year_page_links_its_months(client):
    make_release(published_at=at(2021, 1))
    make_release(published_at=at(2021, 3))
    doc = parse(client.get("/pressemitteilungen/archiv/2021/").content)
    months = doc.find("nav", class_="archive-months")
    assert [(a.text, a.attrs["href"]) for a in months.find_all("a")] == [
        ("Januar", "/pressemitteilungen/archiv/2021/01/"),
        ("März", "/pressemitteilungen/archiv/2021/03/"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/pressemitteilungen/archiv/2021/13/",
        "/pressemitteilungen/archiv/2021/00/",
        "/pressemitteilungen/archiv/2021/1/",
        "/pressemitteilungen/archiv/2021/02/",
        "/pressemitteilungen/2021/13/",
        "/pressemitteilungen/2021/0/",
    ],
)
def test_bad_or_empty_months_are_404(client, url):
    make_release(published_at=at(2021, 1))
    assert client.get(url).status_code == 404


def test_month_archive_hides_drafts_and_embargoed(client):
    visible = make_release(title="Sichtbar")
    hidden_releases()
    local = timezone.localtime(visible.published_at)
    response = client.get(f"/pressemitteilungen/archiv/{local.year}/{local.month:02d}/")
    assert b"Sichtbar" in response.content
    assert b"Geheim" not in response.content


# --- Related releases -------------------------------------------------------------------------------------


def test_related_releases_share_tags_or_partnerships_most_shared_first(client):
    chemnitz = make_partnership(partner_city="Chemnitz")
    release = make_release(title="Hauptmeldung", tags=["Kultur", "Jugend"], partnerships=[chemnitz])
    make_release(title="Teilt alles", tags=["Kultur", "Jugend"], partnerships=[chemnitz])
    make_release(title="Teilt die Partnerstadt", partnerships=[chemnitz])
    make_release(title="Teilt nichts", tags=["Sport"])
    for hidden in hidden_releases():
        hidden.tags.add("Kultur", "Jugend")
        hidden.partnerships.add(chemnitz)
    doc = parse(client.get(release.get_absolute_url()).content)
    section = doc.find("section", class_="related-releases")
    assert [a.text for a in section.find_all("a")] == ["Teilt alles", "Teilt die Partnerstadt"]


def test_no_related_section_without_tags_or_partnerships(client):
    release = make_release()
    make_release()
    doc = parse(client.get(release.get_absolute_url()).content)
    assert doc.find("section", class_="related-releases") is None


def test_related_is_a_queryset_method_on_published(client):
    release = make_release(tags=["A"])
    other = make_release(tags=["A"])
    release = PressRelease.objects.prefetch_related("tags", "partnerships").get(pk=release.pk)
    assert list(PressRelease.objects.published().related_to(release)) == [other]


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_images_whose_rights_expired_stay_out_of_the_feed(client, url):
    release = make_seed_release()
    Image.objects.filter(pk=release.image.pk).update(rights_expire_on=datetime.date(2020, 1, 1))
    (entry,) = parse_feed(client, url).entries
    assert len(entry.media_content) == 1  # only the image block is left
    assert [link for link in entry.links if link.rel == "enclosure"] == []
    assert "Bildschirm mit zwei Oberbürgermeistern" not in entry_content(entry)


def test_sitemap_names_tag_pages_and_leichte_sprache_with_lastmod(client):
    release = make_seed_release()
    for hidden in hidden_releases():
        hidden.tags.add("Nur im Entwurf")
    page = EasyLanguagePage.objects.create(title="Über uns", body="<p>Wir</p>")
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {u.findtext("sm:loc", namespaces=ns): u.findtext("sm:lastmod", namespaces=ns) for u in root}
    release.refresh_from_db()
    day = timezone.localdate(release.modified_at).isoformat()  # as dateModified and the feeds
    assert entries["http://testserver/pressemitteilungen/schlagwort/chemnitz/"] == day
    assert "http://testserver/pressemitteilungen/schlagwort/internationales/" in entries  # the seed has it
    assert not [loc for loc in entries if "nur-im-entwurf" in loc]
    assert "http://testserver/barrierefreiheit/" in entries
    assert (
        entries["http://testserver" + page.get_absolute_url()]
        == timezone.localdate(page.updated_at).isoformat()
    )


@pytest.mark.parametrize("url", PARTNERSHIP_FEEDS)
def test_partnership_feed_holds_only_its_published_releases(client, url):
    release = make_seed_release()
    make_release(title="Andere Partnerstadt", partnerships=[make_partnership(partner_city="Reading")])
    for hidden in hidden_releases():
        hidden.partnerships.add(release.partnerships.get())
    feed = parse_feed(client, url)
    assert [entry.title for entry in feed.entries] == [release.title]
    assert feed.feed.link == "http://testserver/partnerstaedte/chemnitz/"
    assert client.get(url.replace("chemnitz", "gibt-es-nicht")).status_code == 404
