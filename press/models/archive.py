"""The months that hold published releases: the archive's navigation and page count without a
scan of the release table. Kept by ``press.archive_index`` whenever a release is saved or deleted."""

import datetime

from django.db import models
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .releases import PressRelease


def month_of(moment):
    """The first day of the month (Europe/Berlin) of an aware datetime."""
    day = timezone.localtime(moment).date()
    return day.replace(day=1)


def month_bounds(month):
    """(start, end) of a month as aware datetimes in the current time zone (end excluded)."""
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    start = datetime.datetime.combine(month, datetime.time())
    end = datetime.datetime.combine(following, datetime.time())
    return timezone.make_aware(start), timezone.make_aware(end)


class ArchiveMonthQuerySet(models.QuerySet):
    def public(self, now=None):
        """Months with at least one release the public sees now (``published()``: status and time)."""
        return self.filter(first_published_at__lte=now or timezone.now())

    def years(self, now=None):
        """The years with public releases, newest first, as dates (1 January)."""
        years = sorted(
            {month.year for month in self.public(now).values_list("month", flat=True)}, reverse=True
        )
        return [datetime.date(year, 1, 1) for year in years]

    def months_of(self, year, now=None):
        return list(
            self.public(now).filter(month__year=year).order_by("month").values_list("month", flat=True)
        )

    def refresh(self, moments):
        """Count again the months of ``moments`` (publication times): one indexed query per month."""
        for month in {month_of(moment) for moment in moments if moment is not None}:
            start, end = month_bounds(month)
            figures = PressRelease.objects.filter(
                status=PressRelease.Status.PUBLISHED, published_at__gte=start, published_at__lt=end
            ).aggregate(count=Count("pk"), first=Min("published_at"), last=Max("published_at"))
            if figures["count"]:
                self.update_or_create(
                    month=month,
                    defaults={
                        "count": figures["count"],
                        "first_published_at": figures["first"],
                        "last_published_at": figures["last"],
                    },
                )
            else:
                self.filter(month=month).delete()

    def rebuild(self):
        """Every month again (after a bulk write, or to repair): one grouped pass over the releases."""
        self.all().delete()
        published = PressRelease.objects.filter(status=PressRelease.Status.PUBLISHED)
        months = {}
        for moment in published.values_list("published_at", flat=True).iterator(chunk_size=5000):
            months.setdefault(month_of(moment), []).append(moment)
        self.bulk_create(
            ArchiveMonth(
                month=month, count=len(times), first_published_at=min(times), last_published_at=max(times)
            )
            for month, times in months.items()
        )


class ArchiveMonth(models.Model):
    month = models.DateField(_("Monat"), unique=True, help_text=_("Erster Tag des Monats (Europe/Berlin)."))
    count = models.PositiveIntegerField(_("Veröffentlichte Mitteilungen"), default=0)
    first_published_at = models.DateTimeField(_("Erste Veröffentlichung"))
    last_published_at = models.DateTimeField(_("Letzte Veröffentlichung"))

    objects = ArchiveMonthQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("Archivmonat")
        verbose_name_plural = _("Archivmonate")

    def __str__(self):
        return self.month.strftime("%Y-%m")
