from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from . import appointments, archive, credits, feeds, views
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
register_converter(archive.YearConverter, "year")
register_converter(archive.MonthConverter, "month")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("pressemitteilungen/", archive.ReleaseListView.as_view(), name="list"),
    path("pressemitteilungen/archiv/<year:year>/", archive.ReleaseYearView.as_view(), name="year"),
    path(
        "pressemitteilungen/archiv/<year:year>/<month:month>/",
        archive.ReleaseMonthView.as_view(),
        name="month",
    ),
    path("pressemitteilungen/schlagwort/<tagslug:tag>/", archive.ReleaseTagView.as_view(), name="tag"),
    # The month archive's old address; the year archive's old one is answered by the detail view.
    path("pressemitteilungen/<int:year>/<int:month>/", archive.old_month_address),
    path("pressemitteilungen/<slug:slug>/", views.ReleaseDetailView.as_view(), name="detail"),
    path("pressemitteilungen/<slug:slug>/pressekontakt.vcf", views.contact_vcard, name="contact_vcard"),
    path("vorschau/<str:token>/", views.preview, name="preview"),
    path("pressetermine/", appointments.AppointmentListView.as_view(), name="appointments"),
    path("pressetermine/kalender.ics", appointments.calendar_feed, name="appointments_ics"),
    path("pressetermine/<slug:slug>/", appointments.AppointmentDetailView.as_view(), name="appointment"),
    path("pressetermine/<slug:slug>.ics", appointments.appointment_ics, name="appointment_ics"),
    path("feeds/pressemitteilungen.atom", feeds.LatestReleasesAtomFeed(), name="feed_atom"),
    path("feeds/pressemitteilungen.rss", feeds.LatestReleasesFeed(), name="feed_rss"),
    path("feeds/schlagwort/<tagslug:tag>.atom", feeds.TagReleasesAtomFeed(), name="tag_feed_atom"),
    path("feeds/schlagwort/<tagslug:tag>.rss", feeds.TagReleasesFeed(), name="tag_feed_rss"),
    path(
        "feeds/partnerschaft/<slug:slug>.atom",
        feeds.PartnershipReleasesAtomFeed(),
        name="partnership_feed_atom",
    ),
    path("feeds/partnerschaft/<slug:slug>.rss", feeds.PartnershipReleasesFeed(), name="partnership_feed_rss"),
    path("suche/", views.search, name="search"),
    path("bildnachweis/", credits.CreditsView.as_view(), name="credits"),
    # The site-wide sitemap lives here, at the top layer, because it names every app's pages.
    # Not cached: a release withdrawn by mistake must leave it at once, and it costs three queries.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
