"""The one rule for library images: an image may be shown publicly while its rights are valid AND it
is used on a public page (the lead image or an image block of a published release, the image of a
public partnership page).

The image library owns only the rights half (``Image.rights_valid``, ``ImageQuerySet.rights_valid``):
it knows no page. This module, in the top app, knows every public page and combines both halves,
in Python for a page being rendered (``may_show``) and in SQL for lists and the image server
(``public_images``, ``with_public_flag``). Pages, previews and feeds ask it through
``press.rendering``; the Bildnachweis page through ``public_images``; the image server
(``cityhall.library.image_views``) is handed ``with_public_flag`` by the project's URL
configuration (``cityhall/urls.py``), so the library is never filled from above.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q

from cityhall.library.models import Image, rights_valid_condition
from partnerships.models import Partnership

from .models import ImageBlock, PressRelease


def may_show(image, *, page_is_public):
    """May ``image`` be shown on a page being rendered? ``page_is_public``: the page is one the
    public sees (a published release; a preview shows the page as it will be once public, and its
    visitors fetch the images with a grant). No query: the image row alone decides the rest."""
    return bool(image is not None and page_is_public and image.file and image.width and image.rights_valid)


def public_uses():
    """``Q`` on Image: used on a public page, expired rights or not."""
    published = PressRelease.objects.published()
    return (
        Q(pk__in=published.filter(image__isnull=False).values("image"))
        | Q(pk__in=ImageBlock.objects.filter(parent__in=published).values("image"))
        | Q(pk__in=Partnership.objects.public().filter(image__isnull=False).values("image"))
    )


def public_condition(today=None):
    """``Q`` on Image: the rule in SQL (used on a public page, rights valid)."""
    return public_uses() & rights_valid_condition(today)


def public_images(queryset=None, today=None):
    """The images that may be shown publicly: served to anyone, credited on the Bildnachweis page,
    offered for download."""
    queryset = Image.objects.all() if queryset is None else queryset
    return queryset.filter(public_condition(today))


def with_public_flag(queryset, today=None):
    """``queryset`` annotated with ``is_public`` (the rule) in the same query: for the image server,
    which also serves editors and holders of a grant, and must know which responses caches may keep."""
    return queryset.annotate(
        is_public=ExpressionWrapper(public_condition(today), output_field=BooleanField())
    )
