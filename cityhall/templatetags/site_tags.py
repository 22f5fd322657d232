"""Template helpers shared by every public page: absolute links, JSON-LD, phone links."""

import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cityhall.links import absolute_url as _absolute_url

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
    """A tel: link keeping only digits and a leading plus ("0211 89-93131" → "tel:02118993131")."""
    number = str(number or "").strip()
    digits = re.sub(r"\D", "", number)
    if not digits:
        return ""
    return f"tel:+{digits}" if number.startswith("+") else f"tel:{digits}"
