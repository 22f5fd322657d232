"""Structured data (schema.org ``NewsArticle``) for a release, built as a plain dict."""

from django.conf import settings
from django.utils import timezone

from cityhall.library import renditions
from cityhall.library.links import absolute_url


def city_organisation():
    organisation = {"@type": "GovernmentOrganization", "name": settings.CITY_NAME}
    if settings.CITY_URL:
        organisation["url"] = settings.CITY_URL
    return organisation


def image_object(image, caption, request):
    """The image as the largest whole-picture rendition (the original is not public)."""
    path, width, height = renditions.single(image)
    data = {
        "@type": "ImageObject",
        "url": absolute_url(path, request),
        "contentUrl": absolute_url(path, request),
        "width": width,
        "height": height,
        "caption": caption,
        "creditText": image.credit,
        "copyrightNotice": image.copyright_holder,
        "creator": {"@type": "Person", "name": image.photographer} if image.photographer else None,
        "license": image.license.url if image.license else "",
    }
    return {key: value for key, value in data.items() if value not in ("", None)}


def news_article(release, images, request):
    """``images``: (image, caption) of the images that may be shown, in page order
    (``press.rendering.ReleaseRendering.images``); no query is made here."""
    url = absolute_url(release.get_absolute_url(), request)
    images = [image_object(image, caption, request) for image, caption in images]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title,
        "identifier": release.number_label,
        "alternativeHeadline": release.subtitle,
        "description": release.lead,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": timezone.localtime(release.published_at).isoformat(),
        # Follows the dated public corrections (release.modified_at), not internal saves.
        "dateModified": timezone.localtime(release.modified_at).isoformat(),
        "inLanguage": release.language,
        "author": city_organisation(),
        "publisher": city_organisation(),
        "image": images,
        "keywords": [tag.name for tag in release.tags.all()],
        "articleSection": release.kicker,
    }
    return {key: value for key, value in data.items() if value not in ("", None, [])}
