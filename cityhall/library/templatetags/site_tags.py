"""Template helpers shared by every public page: absolute links, JSON-LD, phone links."""

import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cityhall.library import renditions
from cityhall.library.links import absolute_url as _absolute_url

register = template.Library()

# The same escapes as django.utils.html.json_script: nothing in the data can close the <script>.
_JSON_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


@register.simple_tag(takes_context=True)
def absolute_url(context, location):
    return _absolute_url(str(location), context.get("request"))


@register.simple_tag
def city_name():
    """CITY_NAME for templates rendered without context processors (500.html)."""
    return settings.CITY_NAME


@register.filter
def jsonld_script(data):
    """``data`` as a ``<script type="application/ld+json">`` element, safe against "</script>"."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def tel_href(number):
    """A tel: link keeping only digits and a leading plus ("0211 89-00000" → "tel:02118900000")."""
    number = str(number or "").strip()
    digits = re.sub(r"\D", "", number)
    if not digits:
        return ""
    return f"tel:+{digits}" if number.startswith("+") else f"tel:{digits}"


@register.simple_tag
def social_image(image):
    """What OpenGraph and Twitter cards show for ``image``: {"url", "width", "height"}, or None.

    The 1200×675 social-card rendition (cityhall.library.renditions), never the /media/ original,
    which is not served. The page passes the image only where it may be shown (press.rendering:
    ``social_image``); whatever it passes, an image whose rights have expired gets no card."""
    if not image or not image.file or not image.width or not image.rights_valid:  # "" when not given
        return None
    path, width, height = renditions.social_card(image)
    return {"url": path, "width": width, "height": height}


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The link to page ``number`` of a list, keeping the other query parameters (search words, filters);
    page 1 is the address without ``page``."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    if int(number) > 1:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


@register.filter
def iso_datetime(value):
    """An aware datetime as a valid HTML ``datetime`` value in Berlin time, whole seconds:
    "2021-01-28T14:00:00+01:00" (the ``c`` format would add microseconds, which HTML does not allow)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
