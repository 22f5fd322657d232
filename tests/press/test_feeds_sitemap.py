"""Feeds, sitemap and robots.txt: only published releases, absolute links, correct times."""

import calendar
import datetime
import html
from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.utils import timezone

from tests.factories import make_partnership, make_release
from tests.press.seed import BERLIN, hidden_releases, make_seed_release

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/pressemitteilungen.atom", "/feeds/pressemitteilungen.rss"]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def as_utc_timestamp(struct_time):
    return calendar.timegm(struct_time)


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext("sm:lastmod", namespaces=SITEMAP_NS)
        for url in root.findall("sm:url", SITEMAP_NS)
    }


@pytest.mark.parametrize("url", FEEDS)
def test_feed_parses_and_describes_the_release(client, url):
    release = make_seed_release()
    _, feed = fetch_feed(client, url)

    assert feed.version == ("atom10" if url.endswith(".atom") else "rss20")
    assert feed.feed.title == "Pressemitteilungen – Landeshauptstadt Düsseldorf"
    assert feed.feed.link == "http://testserver/pressemitteilungen/"
    assert feed.feed.language == "de"
    (entry,) = feed.entries
    assert entry.title == release.title
    assert entry.link == "http://testserver" + release.get_absolute_url()
    assert entry.summary == release.lead
    assert entry.author == "Landeshauptstadt Düsseldorf"
    assert sorted(tag.term for tag in entry.tags) == ["Chemnitz", "Internationales"]
    assert as_utc_timestamp(entry.published_parsed) == release.published_at.timestamp()


def test_atom_feed_has_updated_dates_and_self_link(client):
    release = make_release()
    release.refresh_from_db()
    _, feed = fetch_feed(client, FEEDS[0])

    (entry,) = feed.entries
    # Without corrections, "updated" is the publication; internal saves do not move it.
    assert as_utc_timestamp(entry.updated_parsed) == int(release.published_at.timestamp())
    assert {link.rel: link.href for link in feed.feed.links}["self"] == "http://testserver" + FEEDS[0]
    assert feed.feed.author == "Landeshauptstadt Düsseldorf"


@pytest.mark.parametrize(
    ("url", "winter", "summer"),
    [
        (
            FEEDS[0],
            "<published>2021-01-28T14:00:00+01:00</published>",
            "<published>2021-07-01T09:30:00+02:00",
        ),
        (
            FEEDS[1],
            "<pubDate>Thu, 28 Jan 2021 14:00:00 +0100</pubDate>",
            "<pubDate>Thu, 01 Jul 2021 09:30:00 +0200",
        ),
    ],
)
def test_feed_times_are_berlin_local_with_offset(client, url, winter, summer):
    make_release(published_at=datetime.datetime(2021, 1, 28, 14, 0, tzinfo=BERLIN))
    summer_release = make_release(published_at=datetime.datetime(2021, 7, 1, 9, 30, tzinfo=BERLIN))
    response, feed = fetch_feed(client, url)

    body = response.content.decode()
    assert winter in body
    assert summer in body
    assert as_utc_timestamp(feed.entries[0].published_parsed) == summer_release.published_at.timestamp()
    assert feed.entries[0].published_parsed.tm_hour == 7  # 09:30 in Berlin summer time is 07:30 UTC


@pytest.mark.parametrize("url", FEEDS)
def test_feed_leaves_out_drafts_and_embargoed_releases(client, url):
    visible = make_release(title="Öffentlich")
    hidden_releases()
    _, feed = fetch_feed(client, url)
    assert [entry.title for entry in feed.entries] == [visible.title]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_holds_the_latest_thirty_newest_first(client, url, django_assert_max_num_queries):
    now = timezone.now()
    releases = [
        make_release(title=f"Meldung {i:02d}", published_at=now - timedelta(hours=i + 1), tags=["A", "B"])
        for i in range(32)
    ]
    # Releases, their tags, and one query per block type for the full text.
    with django_assert_max_num_queries(7):  # one more since entries carry their corrections
        _, feed = fetch_feed(client, url)
    assert [entry.title for entry in feed.entries] == [release.title for release in releases[:30]]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_escapes_markup_in_the_lead(client, url):
    make_release(title="A & B <i>", lead="Kosten < 5 € & mehr <b>nicht fett</b>")
    _, feed = fetch_feed(client, url)
    (entry,) = feed.entries
    # The title reaches the reader as text: where the reader takes it as HTML (RSS titles that look
    # like it), its "<i>" is escaped, not italics (issue 12, finding 7).
    shown = html.unescape(entry.title) if entry.title_detail.type == "text/html" else entry.title
    assert shown == "A & B <i>"
    assert "<i>" not in entry.title or entry.title_detail.type == "text/plain"
    # The lead is plain text: it reaches the reader as text, its "<b>" is not markup.
    assert "<b>" not in entry.summary
    assert "&lt;b&gt;nicht fett" in entry.summary


def test_sitemap_lists_published_releases_partnerships_and_pages(client):
    release = make_seed_release()
    hidden = hidden_releases()
    release.refresh_from_db()
    entries = sitemap_entries(client)

    assert (
        entries["http://testserver" + release.get_absolute_url()]
        == timezone.localdate(release.modified_at).isoformat()  # as dateModified and the feeds
    )
    assert "http://testserver/partnerstaedte/chemnitz/" in entries
    for page in ("/", "/pressemitteilungen/", "/partnerstaedte/", "/partnerstaedte/themen/"):
        assert "http://testserver" + page in entries
    for release in hidden:
        assert "http://testserver" + release.get_absolute_url() not in entries
    # + the two tag pages, the accessibility statement and the Leichte Sprache overview
    assert len(entries) == 10


def test_sitemap_and_feeds_use_site_url_when_set(client, settings):
    settings.SITE_URL = "https://presse.example.de"
    release = make_release()
    make_partnership(partner_city="Haifa", country="IL")

    entries = sitemap_entries(client)
    assert "https://presse.example.de" + release.get_absolute_url() in entries
    assert "https://presse.example.de/partnerstaedte/haifa/" in entries
    for url in FEEDS:
        _, feed = fetch_feed(client, url)
        assert feed.entries[0].link == "https://presse.example.de" + release.get_absolute_url()
        assert feed.feed.link == "https://presse.example.de/pressemitteilungen/"
    response = client.get("/robots.txt")
    assert "Sitemap: https://presse.example.de/sitemap.xml" in response.content.decode()


def test_robots_txt_names_the_sitemap_and_keeps_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert lines[0] == "User-agent: *"


def test_robots_txt_answers_head_and_refuses_post(client):
    assert client.head("/robots.txt").status_code == 200
    assert client.post("/robots.txt").status_code == 405
