from django.urls import reverse

from cityhall.sitemaps import SiteSitemap
from partnerships.sitemaps import PartnershipSitemap

from .models import PressRelease


class ReleaseSitemap(SiteSitemap):
    def items(self):
        return PressRelease.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item):
        return item.updated_at


class StaticSitemap(SiteSitemap):
    def items(self):
        return ["press:home", "press:list", "partnerships:list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "seiten": StaticSitemap,
    "pressemitteilungen": ReleaseSitemap,
    "partnerstaedte": PartnershipSitemap,
}
