"""The Atom feed of a partnership's releases, read with a real feed parser."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_partnership, make_release
from tests.press.seed import hidden_releases

pytestmark = pytest.mark.django_db


def read_feed(client, partnership):
    response = client.get(reverse("press:partnership_feed_atom", args=[partnership.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_feed_has_the_partnerships_published_releases_newest_first(client):
    chemnitz = make_partnership(partner_city="Chemnitz", summary="Seit 1988 verbunden.")
    other = make_partnership(partner_city="Haifa", country="IL")
    now = timezone.now()
    older = make_release(
        title="Ältere",
        lead="Vorspann <b>fett</b>",
        published_at=now - timedelta(days=2),
        partnerships=[chemnitz],
    )
    newer = make_release(
        title="Neuere", tags=["Chemnitz"], published_at=now - timedelta(hours=2), partnerships=[chemnitz]
    )
    make_release(title="Andere Stadt", partnerships=[other])
    for release in hidden_releases():
        release.partnerships.add(chemnitz)

    feed = read_feed(client, chemnitz)

    assert (
        feed.feed.title == "Städtepartnerschaft Chemnitz – Pressemitteilungen der Landeshauptstadt Düsseldorf"
    )
    assert feed.feed.subtitle == "Seit 1988 verbunden."
    assert feed.feed.link == "http://testserver/partnerstaedte/chemnitz/"
    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    assert feed.entries[0].link == f"http://testserver{newer.get_absolute_url()}"
    assert [tag.term for tag in feed.entries[0].tags] == ["Chemnitz"]
    assert feed.entries[1].summary == "Vorspann &lt;b&gt;fett&lt;/b&gt;"  # plain text, escaped


def test_feed_uses_site_url_for_links(client, settings):
    settings.SITE_URL = "https://presse.example.de"
    chemnitz = make_partnership(partner_city="Chemnitz")
    make_release(partnerships=[chemnitz])
    feed = read_feed(client, chemnitz)
    assert feed.feed.link == "https://presse.example.de/partnerstaedte/chemnitz/"
    assert feed.entries[0].link.startswith("https://presse.example.de/pressemitteilungen/")


def test_feed_of_a_partnership_without_releases_is_empty_not_an_error(client):
    feed = read_feed(client, make_partnership(partner_city="Reading", country="GB"))
    assert feed.entries == []


def test_feed_of_an_ended_partnership_says_so(client):
    ended = make_partnership(partner_city="Alt", status="ended", status_changed_on="2001-05-01")
    assert "(beendet am 1. Mai 2001)" in read_feed(client, ended).feed.title
