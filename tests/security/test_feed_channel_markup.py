"""Finding 7: the RSS channel's description (a tag name, a partnership's summary) is read as HTML by
feed readers, like an item's description: it is escaped, so markup in it arrives as text. Checked
with feedparser without its own sanitising (as a reader that renders it would see it)."""

import feedparser
import pytest
from django.urls import reverse

from tests.factories import make_partnership, make_release
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<img src=x onerror="alert(1)">',
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">klick</a>',
    "<svg onload=alert(1)>",
]


def channel_description(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content, sanitize_html=False)
    return feed.feed.description


def assert_text_only(html, payload):
    tree = parse(html)
    assert not list(tree.iter()), f"markup from {payload!r} became elements: {html!r}"
    assert payload in tree.text or payload.replace('"', "") in tree.text.replace('"', "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_tag_name_in_the_channel_description_is_text(client, payload):
    release = make_release()
    release.tags.add(f"Verkehr {payload}")
    tag = release.tags.get()
    description = channel_description(client, reverse("press:tag_feed_rss", args=[tag.slug]))
    assert_text_only(description, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_partnership_summary_in_the_channel_description_is_text(client, payload):
    partnership = make_partnership(summary=f"Seit 1988 {payload}")
    make_release(partnerships=[partnership])
    description = channel_description(client, reverse("press:partnership_feed_rss", args=[partnership.slug]))
    assert_text_only(description, payload)
