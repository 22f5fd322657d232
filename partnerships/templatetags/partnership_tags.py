from django import template
from django.utils import translation
from django_countries import countries

register = template.Library()


@register.filter
def country_name(code):
    """The German name for an ISO 3166-1 code ("PL" → "Polen"); an unknown code is returned unchanged."""
    code = str(code or "").upper()
    with translation.override("de"):
        return str(countries.name(code)) or code
