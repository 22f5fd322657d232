"""One "last modified" (PressRelease.modified_at) for sitemap, JSON-LD and feeds; the embargo stamp names the
city's time zone from the settings."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from press import previews
from press.models import Correction
from tests.factories import make_release
from tests.press.test_embargo import embargoed, speaker  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_lastmod(client, location):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    for url in root.findall("sm:url", SITEMAP_NS):
        if url.findtext("sm:loc", namespaces=SITEMAP_NS) == location:
            return parse_datetime(url.findtext("sm:lastmod", namespaces=SITEMAP_NS))
    raise AssertionError(f"{location} not in the sitemap")


def date_modified(client, release):
    html = client.get(release.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    return parse_datetime(data["dateModified"]).replace(microsecond=0)


def feed_updated(client, url):
    (entry,) = feedparser.parse(client.get(url).content).entries
    return parse_datetime(entry.updated).replace(microsecond=0)


@pytest.mark.parametrize("corrected", [False, True])
def test_sitemap_page_and_feeds_agree_on_last_modified(client, corrected):
    release = make_release(title="Rat tagt", tags=["Politik"])
    # An internal save later (status, preview links, …) moves updated_at, not "last modified".
    release.save()
    if corrected:
        noted = (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
        Correction.objects.create(release=release, noted_at=noted, text="Der Rat tagt um 15 Uhr.")
    release.refresh_from_db()
    expected = release.modified_at.replace(microsecond=0)
    location = "http://testserver" + release.get_absolute_url()
    # The sitemap says the day (Django's sitemap template), the others the moment.
    assert sitemap_lastmod(client, location).date() == timezone.localdate(expected)
    tag_page = "http://testserver/pressemitteilungen/schlagwort/politik/"
    assert sitemap_lastmod(client, tag_page).date() == timezone.localdate(expected)
    assert date_modified(client, release) == expected
    # RSS 2.0 items have only pubDate; Atom's <updated> is the feeds' "last modified".
    assert feed_updated(client, "/feeds/pressemitteilungen.atom") == expected


def test_embargo_stamp_names_the_configured_time_zone(client, settings, speaker, embargoed):  # noqa: F811
    link = previews.create(embargoed, speaker, recipient="dpa")
    url = previews.path_for(link)
    html = client.get(url).content.decode()
    assert "(Zeitzone Europe/Berlin)" in html
    assert "Düsseldorf" not in html.split("embargo-stamp")[1].split("</div>")[0]

    settings.CITY_TIME_ZONE_NAME = "Ortszeit Köln"
    assert "(Ortszeit Köln)" in client.get(url).content.decode()
