from django.db.models import Max
from django.urls import reverse

from cityhall.library.sitemaps import EasyLanguageSitemap, SiteSitemap
from partnerships.sitemaps import PartnershipSitemap

from .models import PressRelease


class ReleaseSitemap(SiteSitemap):
    def items(self):
        return PressRelease.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item):
        return item.updated_at


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
    """Tag pages of tags that published releases carry; lastmod is their newest change."""

    def items(self):
        return list(
            PressRelease.objects.published()
            .filter(tags__isnull=False)
            .values("tags__slug")
            .annotate(lastmod=Max("updated_at"))
            .order_by("tags__slug")
        )

    def location(self, item):
        return reverse("press:tag", args=[item["tags__slug"]])

    def lastmod(self, item):
        return item["lastmod"]


SITEMAPS = {
    "seiten": StaticSitemap,
    "pressemitteilungen": ReleaseSitemap,
    "partnerstaedte": PartnershipSitemap,
    "schlagwoerter": TagSitemap,
    "leichte-sprache": EasyLanguageSitemap,
}
