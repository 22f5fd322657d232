"""Structured data (schema.org ``NewsArticle``) for a release, built as a plain dict."""

from django.conf import settings
from django.utils import timezone

from cityhall.library import renditions
from cityhall.library.links import absolute_url

from .models import ImageBlock


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


def news_article(release, blocks, request):
    """``blocks`` is the release's content (from contents_for_item), so no query is repeated here."""
    url = absolute_url(release.get_absolute_url(), request)
    # Images whose rights have expired are not shown, so not named either.
    images = []
    if release.image and not release.image.rights_expired:
        images.append(image_object(release.image, release.lead_image_caption, request))
    images += [
        image_object(block.image, block.effective_caption, request)
        for block in blocks
        if isinstance(block, ImageBlock) and not block.image.rights_expired
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title,
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
