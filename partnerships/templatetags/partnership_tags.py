from django import template

register = template.Library()

# German names of the countries a German city is likely to partner with; other codes are shown as they are.
COUNTRY_NAMES = {
    "AT": "Österreich", "BE": "Belgien", "BG": "Bulgarien", "BR": "Brasilien", "BY": "Belarus",
    "CA": "Kanada", "CH": "Schweiz", "CN": "China", "CZ": "Tschechien", "DE": "Deutschland",
    "DK": "Dänemark", "EE": "Estland", "EG": "Ägypten", "ES": "Spanien", "FI": "Finnland",
    "FR": "Frankreich", "GB": "Vereinigtes Königreich", "GE": "Georgien", "GH": "Ghana",
    "GR": "Griechenland", "HR": "Kroatien", "HU": "Ungarn", "IE": "Irland", "IL": "Israel",
    "IN": "Indien", "IT": "Italien", "JP": "Japan", "KR": "Südkorea", "LT": "Litauen",
    "LU": "Luxemburg", "LV": "Lettland", "MD": "Moldau", "MX": "Mexiko", "NL": "Niederlande",
    "NO": "Norwegen", "PL": "Polen", "PS": "Palästinensische Gebiete", "PT": "Portugal",
    "RO": "Rumänien", "RS": "Serbien", "RU": "Russland", "SE": "Schweden", "SI": "Slowenien",
    "SK": "Slowakei", "TR": "Türkei", "TZ": "Tansania", "UA": "Ukraine", "US": "Vereinigte Staaten",
    "VN": "Vietnam", "ZA": "Südafrika",
}  # fmt: skip


@register.filter
def country_name(code):
    """The German name for an ISO code ("PL" → "Polen"); an unknown code is returned unchanged."""
    code = str(code or "").upper()
    return COUNTRY_NAMES.get(code, code)
