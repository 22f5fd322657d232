"""List filters of the release admin."""

import datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from press.models import PressRelease


class StateListFilter(admin.SimpleListFilter):
    """Releases by ``PressRelease.state`` (scheduled and public told apart by the time)."""

    title = _("Stand")
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return PressRelease.State.choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value not in PressRelease.State.values:
            raise IncorrectLookupParameters(value)
        return queryset.in_state(value)


class YearListFilter(admin.SimpleListFilter):
    """Releases by the year of publication (Europe/Berlin)."""

    title = _("Jahr")
    parameter_name = "jahr"

    def lookups(self, request, model_admin):
        # The first and the last year (two index look-ups), not a scan for every year in between.
        span = PressRelease.objects.aggregate(first=Min("published_at"), last=Max("published_at"))
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[key]).year for key in ("first", "last"))
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        # Year 1 in Berlin begins in year 0 in UTC, which datetime cannot hold; 20 digits overflow the database.
        if not (value.isdigit() and datetime.MINYEAR < int(value) <= datetime.MAXYEAR):
            raise IncorrectLookupParameters(value)
        return queryset.filter(published_at__year=int(value))


class TagListFilter(admin.SimpleListFilter):
    """Releases by tag; offers only the tags used by press releases."""

    title = _("Schlagwort")
    parameter_name = "schlagwort"

    def lookups(self, request, model_admin):
        return [(tag.slug, tag.name) for tag in PressRelease.tags.order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(tags__slug=value) if value else queryset
