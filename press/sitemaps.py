from django.urls import reverse

from cityhall.library.sitemaps import EasyLanguageSitemap, SiteSitemap
from partnerships.sitemaps import PartnershipSitemap

from .models import PressRelease


class ReleaseSitemap(SiteSitemap):
    """lastmod is ``PressRelease.modified_at``, as the page's dateModified and the feeds' updated."""

    def items(self):
        return (
            PressRelease.objects.published()
            .only("slug", "published_at")
            .prefetch_related("corrections")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.modified_at


class StaticSitemap(SiteSitemap):
    def items(self):
        return [
            "press:home",
            "press:list",
            "partnerships:list",
            "partnerships:themes",
            "cityhall:accessibility",
            "cityhall:easy_language",
        ]

    def location(self, item):
        return reverse(item)


class TagSitemap(SiteSitemap):
    """Tag pages of tags that published releases carry; lastmod is the newest ``modified_at`` among them."""

    def items(self):
        newest = {}
        releases = (
            PressRelease.objects.published()
            .filter(tags__isnull=False)
            .distinct()
            .only("published_at")
            .prefetch_related("tags", "corrections")
        )
        for release in releases:
            for tag in release.tags.all():
                newest[tag.slug] = max(newest.get(tag.slug, release.modified_at), release.modified_at)
        return sorted(newest.items())

    def location(self, item):
        return reverse("press:tag", args=[item[0]])

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "seiten": StaticSitemap,
    "pressemitteilungen": ReleaseSitemap,
    "partnerstaedte": PartnershipSitemap,
    "schlagwoerter": TagSitemap,
    "leichte-sprache": EasyLanguageSitemap,
}
