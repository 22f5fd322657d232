"""The one slug rule of the site: how a slug is made from a title and which slugs are refused.

Every app that publishes pages under a slug (releases, partner cities, pages in Leichte Sprache) makes
its slugs here, and the models validate them with ``validate_slug``; the admin and the import only ask
the models.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)

# Path segments the site uses next to slugs (/pressemitteilungen/archiv/, /partnerstaedte/themen/, …)
# and top-level sections, so that no slug can hide a page of the site or be hidden by one.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "archiv",
        "barrierefreiheit",
        "bilder",
        "bildnachweis",
        "datenschutz",
        "feeds",
        "impressum",
        "kalender",
        "leichte-sprache",
        "partnerstaedte",
        "pressemitteilungen",
        "pressetermine",
        "schlagwort",
        "suche",
        "themen",
        "vorschau",
    }
)

RESERVED_MESSAGE = _("„%(slug)s“ ist für die Adressen der Website reserviert und kann kein Kurzname sein.")


def validate_slug(value):
    """Field validator of every public slug: reserved path segments are refused."""
    if str(value or "").lower() in RESERVED_SLUGS:
        raise ValidationError(RESERVED_MESSAGE, code="reserved_slug", params={"slug": value})


def german_slugify(text, max_length=120, fallback="seite"):
    """Slug with German transliteration (ä→ae, ß→ss), cut at a word boundary; never empty."""
    slug = slugify(str(text or "").translate(GERMAN_TRANSLITERATION))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-") or fallback


def base_slug(text, max_length=120, fallback="seite"):
    """The slug a page gets from its title before it is made unique: ``german_slugify``, and a
    reserved word gets the fallback appended („Themen“ becomes ``themen-partnerschaft``)."""
    slug = german_slugify(text, max_length=max_length, fallback=fallback)
    if slug in RESERVED_SLUGS:
        slug = german_slugify(f"{slug} {fallback}", max_length=max_length, fallback=fallback)
    return slug


def unique_slug(queryset, text, max_length=120, fallback="seite", exclude_pk=None):
    """``base_slug`` of ``text``, not yet used in ``queryset``: appends -2, -3, … when taken."""
    base = base_slug(text, max_length=max_length, fallback=fallback)
    taken = queryset.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken = set(taken.values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
    return slug
