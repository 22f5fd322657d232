"""``<picture>`` for library images, with renditions in every size and format the page can use.

Nothing here queries the database or touches a file: addresses, widths and heights follow from
the image row (``cityhall.library.renditions``). The files are made on their first request.
"""

from django import template

from cityhall.library import renditions

register = template.Library()

# Cards: a grid of columns at least 20rem wide, at most about 32rem in the 68rem page.
TEASER_SIZES = "(min-width: 44.5rem) 32rem, calc(100vw - 5rem)"


@register.inclusion_tag("includes/figure_picture.html", takes_context=True)
def picture(context, image, alt="", loading="lazy", sizes=None, kind="content", css_class=""):
    """``loading="eager"`` for an image at the top of the page (it is then fetched first);
    every other image loads lazily. ``kind``: "content" (whole picture) or "teaser" (16:9).
    A page for people without an account that shows images not public yet (a preview link) sets
    ``image_grant`` (the grant's scope, e.g. the preview link's key) in its context: the addresses then carry
    a signed, dated grant for that scope."""
    if sizes is None:
        sizes = TEASER_SIZES if kind == "teaser" else renditions.CONTENT_SIZES
    return {
        **renditions.picture(image, kind, grant=context.get("image_grant") or None),
        "alt": alt,
        "eager": loading == "eager",
        "sizes": sizes,
        "css_class": css_class,
    }


@register.inclusion_tag("includes/figure_placeholder.html")
def image_placeholder(image):
    """A neutral grey area in the picture's proportions, for an image that may not be shown."""
    width = 1000
    height = round(width * image.height / image.width) if image.width else 563
    return {"width": width, "height": max(height, 1)}


@register.simple_tag
def image_download_url(image):
    return renditions.download_url(image)


@register.simple_tag
def feed_picture(image):
    """{"url", "width", "height"} of one whole-picture rendition for feeds, at least 800 px wide where
    the original allows (a path; feeds make it absolute). Callers show only images that may be shown."""
    path, width, height = renditions.single(image, at_least=800)
    return {"url": path, "width": width, "height": height}
