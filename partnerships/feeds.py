"""An Atom feed per partnership of its published releases. The releases are reached through the reverse
relation and the release QuerySet's own ``published()`` rule; this app never imports press."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from cityhall.links import absolute_url

from .models import Partnership

FEED_COUNT = 30


class PartnershipReleasesFeed(Feed):
    feed_type = Atom1Feed
    language = "de"

    def get_object(self, request, slug):
        return get_object_or_404(Partnership.objects.public(), slug=slug)

    def title(self, partnership):
        title = f"Städtepartnerschaft {partnership.partner_city}"
        if not partnership.is_active:
            title += f" ({partnership.status_text})"
        return f"{title} – Pressemitteilungen der {settings.CITY_NAME}"

    def subtitle(self, partnership):
        return (
            partnership.summary
            or f"Pressemitteilungen zur Städtepartnerschaft mit {partnership.partner_city}."
        )

    def link(self, partnership):
        return absolute_url(partnership.get_absolute_url())

    def feed_url(self, partnership):
        return absolute_url(partnership.get_feed_url())

    def author_name(self):
        return settings.CITY_NAME

    def items(self, partnership):
        return partnership.press_releases.published().for_listing()[:FEED_COUNT]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
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
