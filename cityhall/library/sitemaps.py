from django.contrib import sitemaps

from .links import site_root


class SiteSitemap(sitemaps.Sitemap):
    """A sitemap whose locations use SITE_URL's scheme and host when it is set."""

    def get_protocol(self, protocol=None):
        return site_root()[0] or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return site_root()[1] or super().get_domain(site)


class EasyLanguageSitemap(SiteSitemap):
    """Pages in Leichte Sprache, with the time of their last change."""

    def items(self):
        from .models import EasyLanguagePage

        return EasyLanguagePage.objects.only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at
