from cityhall.library.sitemaps import SiteSitemap

from .models import Partnership


class PartnershipSitemap(SiteSitemap):
    def items(self):
        return Partnership.objects.public().only("slug", "updated_at").order_by("partner_city", "pk")

    def lastmod(self, item):
        return item.updated_at
