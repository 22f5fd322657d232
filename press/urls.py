from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "press"


class TagSlugConverter:
    """Tag slugs keep umlauts ("städtepartnerschaft"), so the plain slug converter is too narrow."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TagSlugConverter, "tagslug")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("pressemitteilungen/", views.ReleaseListView.as_view(), name="list"),
    path("pressemitteilungen/<int:year>/", views.ReleaseYearView.as_view(), name="year"),
    path("pressemitteilungen/schlagwort/<tagslug:tag>/", views.ReleaseTagView.as_view(), name="tag"),
    path("pressemitteilungen/<slug:slug>/", views.ReleaseDetailView.as_view(), name="detail"),
    path("feeds/pressemitteilungen.atom", feeds.LatestReleasesAtomFeed(), name="feed_atom"),
    path("feeds/pressemitteilungen.rss", feeds.LatestReleasesFeed(), name="feed_rss"),
    # The site-wide sitemap lives here, at the top layer, because it names every app's pages.
    # Not cached: a release withdrawn by mistake must leave it at once, and it costs three queries.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
