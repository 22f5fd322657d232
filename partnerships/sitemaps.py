from cityhall.sitemaps import SiteSitemap

from .models import Partnership


class PartnershipSitemap(SiteSitemap):
    def items(self):
        return Partnership.objects.public().only("slug")
