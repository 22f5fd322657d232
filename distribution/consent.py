"""The wording people agree to, with its version (DISTRIBUTION_CONSENT_WORDING_VERSION). The proof of
consent stores both; change the version whenever the text changes."""

from django.conf import settings

WORDING = (
    "Ich möchte Pressemitteilungen der {city} aus den gewählten Listen per E-Mail erhalten. "
    "Meine Adresse wird nur dafür verwendet und nicht weitergegeben. Ich kann mich jederzeit über den "
    "Link in jeder E-Mail abmelden; dann wird meine Adresse gelöscht."
)


def wording():
    return WORDING.format(city=settings.CITY_NAME)


def version():
    return settings.DISTRIBUTION_CONSENT_WORDING_VERSION
