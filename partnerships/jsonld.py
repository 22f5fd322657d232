"""Structured data for a partnership page: the page is about the partner city (schema.org ``City``,
``sameAs`` its Wikidata item) and its partnership with the home city, built as a plain dict."""

from django.conf import settings
from django.utils import timezone

from cityhall.library.links import absolute_url

from .templatetags.partnership_tags import country_name

# Wikidata's "twinned administrative body": the relation this page describes.
TWINNED_WITH = "https://www.wikidata.org/wiki/Property:P190"


def _drop_empty(data):
    return {key: value for key, value in data.items() if value not in ("", None, [])}


def _property(name, value, **extra):
    return _drop_empty({"@type": "PropertyValue", "name": name, "value": value, **extra})


def partner_city(partnership):
    """The partner city as a schema.org ``City``, with the partnership as ``additionalProperty``."""
    city = {
        "@type": "City",
        "name": partnership.partner_city,
        "alternateName": partnership.native_name if partnership.shows_native_name else "",
        "containedInPlace": {
            "@type": "Country",
            "name": country_name(partnership.country),
            "identifier": str(partnership.country),
        },
        "sameAs": partnership.wikidata_url,
    }
    if partnership.has_coordinates:
        city["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(partnership.latitude),
            "longitude": float(partnership.longitude),
        }
    facts = [
        _property(
            str(partnership.get_kind_display()),
            settings.CITY_NAME,
            propertyID=TWINNED_WITH,
            startDate=partnership.founded_on.isoformat() if partnership.founded_on else partnership.since,
        ),
        _property(
            "Status",
            str(partnership.get_status_display()),
            description=" ".join(filter(None, [partnership.status_text, partnership.status_reason]))
            if not partnership.is_active
            else "",
            startDate=partnership.status_changed_on.isoformat() if partnership.status_changed_on else None,
        ),
    ]
    if partnership.first_contact_year:
        facts.append(_property("Erster Kontakt", partnership.first_contact_year))
    city["additionalProperty"] = facts
    return _drop_empty(city)


def partnership_page(partnership, request):
    url = absolute_url(partnership.get_absolute_url(), request)
    title = f"Städtepartnerschaft {partnership.partner_city}"
    if partnership.is_dormant:
        title += " (ruht)"
    data = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": title,
        "description": partnership.summary,
        "inLanguage": "de",
        "dateModified": timezone.localtime(partnership.updated_at).isoformat()
        if partnership.updated_at
        else None,
        "publisher": _drop_empty(
            {"@type": "GovernmentOrganization", "name": settings.CITY_NAME, "url": settings.CITY_URL}
        ),
        "about": partner_city(partnership),
    }
    return _drop_empty(data)
