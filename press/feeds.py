"""Atom and RSS 2.0 feeds of the latest published releases."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from cityhall.links import absolute_url

from .models import PressRelease

FEED_COUNT = 30


class LatestReleasesFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "de"

    def title(self):
        return f"Pressemitteilungen – {settings.CITY_NAME}"

    def description(self):
        return f"Die neuesten Pressemitteilungen der {settings.CITY_NAME}."

    def link(self):
        return absolute_url(reverse("press:list"))

    def feed_url(self):
        return absolute_url(reverse("press:feed_rss"))

    def author_name(self):
        return settings.CITY_NAME

    def items(self):
        return PressRelease.objects.published().for_listing()[:FEED_COUNT]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers read the description as HTML; the lead is plain text.
        return escape(item.lead)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(item.updated_at)

    def item_author_name(self, item):
        return settings.CITY_NAME

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestReleasesAtomFeed(LatestReleasesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()

    def feed_url(self):
        return absolute_url(reverse("press:feed_atom"))
