"""Release numbers ("PM 123/2026"): a sequence per year, given when a release is published (or scheduled),
never reused, never changed afterwards. One counter row per year, locked while a number is drawn, so two
spokespeople publishing at the same moment get two numbers."""

import re

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReleaseNumberCounter(models.Model):
    year = models.PositiveSmallIntegerField(_("Jahr"), primary_key=True)
    last = models.PositiveIntegerField(_("Zuletzt vergebene Nummer"), default=0)

    class Meta:
        verbose_name = _("Zähler der Mitteilungsnummern")
        verbose_name_plural = _("Zähler der Mitteilungsnummern")

    def __str__(self):
        return f"{self.year}: {self.last}"


# "PM 123/2026", "pm123/2026", "123/2026": what people type when they look for a release by its number.
LABEL = re.compile(r"^\s*(?:[A-Za-z]{1,6}\.?\s*)?(\d{1,7})\s*/\s*(\d{4})\s*$")


def parse_label(text):
    """(number, year) of a typed release number, or None."""
    found = LABEL.match(text or "")
    return (int(found.group(1)), int(found.group(2))) if found else None


def numbers_enabled():
    return getattr(settings, "PRESS_RELEASE_NUMBERS", True)


def draw_number(year):
    """The next number of ``year`` (1, 2, 3, …); call inside the transaction that stores it."""
    with transaction.atomic():
        ReleaseNumberCounter.objects.get_or_create(year=year)
        counter = ReleaseNumberCounter.objects.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


def give_number(release):
    """Give ``release`` its number if it has none and numbers are on; returns the changed field names."""
    if release.number is not None or not numbers_enabled():
        return []
    release.number_year = timezone.localtime(release.published_at).year
    release.number = draw_number(release.number_year)
    return ["number", "number_year"]


def follow_counter(year, number):
    """After an import brought ``number`` of ``year``: the counter never hands it out again."""
    with transaction.atomic():
        counter, _ = ReleaseNumberCounter.objects.select_for_update().get_or_create(year=year)
        if counter.last < number:
            counter.last = number
            counter.save(update_fields=["last"])
