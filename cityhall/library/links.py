"""Absolute links for canonical URLs, feeds, sitemaps and structured data.

``SITE_URL`` (e.g. ``https://presse.example.de``) wins when it is set, so every absolute link names the
one public host even behind a proxy; otherwise the request's own scheme and host are used."""

from urllib.parse import urlsplit

from django.conf import settings


def site_root():
    """(scheme, host) from SITE_URL, or ("", "") when it is not set."""
    parts = urlsplit(settings.SITE_URL or "")
    return parts.scheme, parts.netloc


def absolute_url(location, request=None):
    """``location`` (a path such as "/pressemitteilungen/") as an absolute URL.

    Already absolute URLs are returned unchanged; without SITE_URL and without a request the path is
    returned as it is (the syndication framework adds the request's host itself)."""
    if urlsplit(location).scheme:
        return location
    scheme, host = site_root()
    if host:
        return f"{scheme}://{host}{location}"
    if request is not None:
        return request.build_absolute_uri(location)
    return location
