"""Atom and RSS 2.0 feeds of the latest published releases: all of them, and per tag.

Each entry carries the full text (lead image, lead and every block, as HTML with absolute links, rendered by
press.rendering like the page), the images that may be shown as Media RSS elements with their credits, and the
lead image as enclosure. Stored text is normalised on save (cityhall.library.text); rows written before that
may still hold control characters that XML 1.0 forbids, and Django refuses to write those (the feed would
answer 500): the feed generator removes them from every value it is given, in one place (``_XmlSafe``).
"""

import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import escape
from taggit.models import Tag

from cityhall.library import renditions
from cityhall.library.links import absolute_url
from cityhall.library.text import strip_control_characters
from partnerships.models import Partnership

from .models import PressRelease
from .rendering import FEED, load_blocks_of, render_release

FEED_COUNT = 30
MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def _add_media(handler, item):
    for image in item.get("media", ()):
        handler.startElement(
            "media:content",
            {"url": image["url"], "medium": "image", "width": image["width"], "height": image["height"]},
        )
        if image["description"]:
            handler.addQuickElement("media:description", image["description"], {"type": "plain"})
        if image["credit"]:
            handler.addQuickElement("media:credit", image["credit"])
        if image["license"]:
            handler.addQuickElement("media:license", image["license_name"], {"href": image["license"]})
        handler.endElement("media:content")


def _xml_safe(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_xml_safe(item) for item in value]
    return value


class _XmlSafe:
    """Every text the feed is given (its own and its items') without characters XML 1.0 forbids."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_xml_safe(args), **_xml_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_xml_safe(args), **_xml_safe(kwargs))


def _html_text(value):
    """Text for an RSS element that readers take as HTML when it looks like it: markup characters
    escaped, so "<b>" in a tag name arrives as those characters, not as bold."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if value else value


class FullContentRssFeed(_XmlSafe, Rss201rev2Feed):
    """RSS 2.0. Feed readers read the channel's description as HTML, like an item's, and an item's
    title too when it looks like HTML: their text (a tag name, a partnership's summary, a title) is
    escaped here, in one place for every RSS feed (Atom says its titles are text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed["description"] = _html_text(self.feed["description"])
        self.feed["title"] = _html_text(self.feed["title"])

    def add_item(self, title, *args, **kwargs):
        super().add_item(_html_text(title), *args, **kwargs)

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        _add_media(handler, item)


class FullContentAtomFeed(_XmlSafe, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        _add_media(handler, item)


@dataclass
class FeedContext:
    request: object
    tag: object = None
    partnership: object = None


class LatestReleasesFeed(Feed):
    feed_type = FullContentRssFeed
    language = "de"
    url_name = "press:feed_rss"

    def get_object(self, request, *args, **kwargs):
        # The feed instance is shared by all requests: the request travels with the object instead.
        return FeedContext(request=request)

    def title(self, obj=None):
        return f"Pressemitteilungen – {settings.CITY_NAME}"

    def description(self, obj=None):
        return f"Die neuesten Pressemitteilungen der {settings.CITY_NAME}."

    def link(self, obj=None):
        return absolute_url(reverse("press:list"))

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name))

    def author_name(self):
        return settings.CITY_NAME

    def get_queryset(self, obj):
        return PressRelease.objects.published()

    def items(self, obj):
        items = list(
            self.get_queryset(obj)
            .for_listing()
            .select_related("image__license", "rendered_body")
            .prefetch_related("corrections")[:FEED_COUNT]
        )
        # The kept bodies (press.rendering) with their image blocks in one query, the bodies not kept
        # yet (their page keeps them) in one query per block type; each entry rendered as its page is.
        contents = load_blocks_of(items)
        for item in items:
            item.feed_request = obj.request
            item.rendering = render_release(item, contents[item], surface=FEED, request=obj.request)
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers read the description as HTML; the lead and the corrections are plain text.
        corrections = "".join(
            f"<p><strong>Korrektur vom {date_format(timezone.localtime(c.noted_at), 'j. F Y, H:i')} Uhr:</strong> "
            f"{escape(c.text)}</p>"
            for c in item.corrections.all()
        )
        return escape(item.lead) + corrections

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        # Follows the public corrections, not every internal save (status changes, preview links).
        return timezone.localtime(item.modified_at)

    def item_author_name(self, item):
        return settings.CITY_NAME

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        """The lead photo as a press-photo download: the stored original, re-encoded without metadata."""
        lead = item.rendering.lead
        if lead is None or not lead.shown:
            return []
        image = lead.image
        length = getattr(image, "file_size", 0)
        if not length:
            try:
                length = image.file.size
            except OSError:  # the file is missing on this server: no enclosure rather than no feed
                return []
        mime_type = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
        return [Enclosure(self._absolute(renditions.download_url(image), item), str(length), mime_type)]

    def item_extra_kwargs(self, item):
        return {"content": self._content(item), "media": self._media(item)}

    def _absolute(self, location, item):
        return absolute_url(location, item.feed_request)

    def _media(self, item):
        media = []
        for image, caption in item.rendering.images:
            path, width, height = renditions.single(image, at_least=800)
            media.append(
                {
                    "url": self._absolute(path, item),
                    "width": str(width),
                    "height": str(height),
                    "description": caption,
                    "credit": image.credit,
                    "license": image.license.url if image.license else "",
                    "license_name": image.license.name if image.license else "",
                }
            )
        return media

    def _content(self, item):
        html = render_to_string(
            "press/feed_content.html",
            {"release": item, "rendering": item.rendering},
            request=item.feed_request,
        )
        return html


class LatestReleasesAtomFeed(LatestReleasesFeed):
    feed_type = FullContentAtomFeed
    url_name = "press:feed_atom"

    def subtitle(self, obj=None):
        return self.description(obj)


class TagReleasesFeed(LatestReleasesFeed):
    """Releases with one tag; a tag without a published release has no feed (404)."""

    url_name = "press:tag_feed_rss"

    def get_object(self, request, tag):
        tag = get_object_or_404(Tag, slug=tag)
        if not PressRelease.objects.published().filter(tags=tag).exists():
            raise Http404("Keine Pressemitteilungen mit diesem Schlagwort.")
        return FeedContext(request=request, tag=tag)

    def get_queryset(self, obj):
        return PressRelease.objects.published().filter(tags=obj.tag)

    def title(self, obj=None):
        return f"Pressemitteilungen zum Schlagwort „{obj.tag.name}“ – {settings.CITY_NAME}"

    def description(self, obj=None):
        return f"Pressemitteilungen der {settings.CITY_NAME} zum Schlagwort „{obj.tag.name}“."

    def link(self, obj=None):
        return absolute_url(reverse("press:tag", args=[obj.tag.slug]))

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, args=[obj.tag.slug]))


class TagReleasesAtomFeed(TagReleasesFeed):
    feed_type = FullContentAtomFeed
    url_name = "press:tag_feed_atom"

    def subtitle(self, obj=None):
        return self.description(obj)


class PartnershipReleasesFeed(LatestReleasesFeed):
    """Releases about one partnership, with the full text. It lives here, not in the partnerships app,
    because rendering release blocks needs press, which a lower app must not import."""

    url_name = "press:partnership_feed_rss"

    def get_object(self, request, slug):
        return FeedContext(
            request=request, partnership=get_object_or_404(Partnership.objects.public(), slug=slug)
        )

    def get_queryset(self, obj):
        return obj.partnership.press_releases.published()

    def title(self, obj=None):
        partnership = obj.partnership
        title = f"Städtepartnerschaft {partnership.partner_city}"
        if not partnership.is_active:  # a dormant or ended partnership says so wherever it appears
            title += f" ({partnership.status_text})"
        return f"{title} – Pressemitteilungen der {settings.CITY_NAME}"

    def description(self, obj=None):
        partnership = obj.partnership
        return (
            partnership.summary
            or f"Pressemitteilungen zur Städtepartnerschaft mit {partnership.partner_city}."
        )

    def link(self, obj=None):
        return absolute_url(obj.partnership.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, args=[obj.partnership.slug]))


class PartnershipReleasesAtomFeed(PartnershipReleasesFeed):
    feed_type = FullContentAtomFeed
    url_name = "press:partnership_feed_atom"

    def subtitle(self, obj=None):
        return self.description(obj)
