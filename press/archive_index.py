"""Keeping ``ArchiveMonth`` true, and paging the archive by it.

Every save or deletion of a release counts its month again (and the month it had before, when its
time moved): at once, so the same transaction sees it, and once more when the transaction commits,
so that two editors publishing into the same month at the same time cannot leave a wrong count.

``MonthIndexPaginator`` pages all published releases, newest first, at the same cost on page 5,000
as on page 1: the number of releases is the sum of the months' counts (no ``COUNT(*)``), and a page
is found by skipping whole months by their counts, then at most one month's releases by ``OFFSET``.
"""

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.functional import cached_property

from .models import ArchiveMonth, PressRelease
from .models.archive import month_bounds


class _Recount:
    """The on-commit callback of one transaction: counts its months again, once."""

    def __init__(self):
        self.moments = []
        self.done = False

    def __call__(self):
        self.done = True
        ArchiveMonth.objects.refresh(self.moments)


def refresh_months(*moments):
    moments = [moment for moment in moments if moment is not None]
    ArchiveMonth.objects.refresh(moments)
    for entry in transaction.get_connection().run_on_commit:
        if isinstance(entry[1], _Recount) and not entry[1].done:
            entry[1].moments += moments
            return
    recount = _Recount()
    recount.moments += moments
    transaction.on_commit(recount)


ARCHIVE_FIELDS = {"status", "published_at"}


def _release_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not ARCHIVE_FIELDS & set(update_fields)):
        return
    # Counted again on every other save, not only when status or time differ from what was loaded:
    # the row may have changed since it was loaded.
    refresh_months(instance.published_at, getattr(instance, "_published_at_in_db", None))
    instance._published_at_in_db = instance.published_at


def _release_deleted(sender, instance, **kwargs):
    refresh_months(instance.published_at, getattr(instance, "_published_at_in_db", None))


def connect_signals():
    post_save.connect(_release_saved, sender=PressRelease, dispatch_uid="press_archive_month_saved")
    post_delete.connect(_release_deleted, sender=PressRelease, dispatch_uid="press_archive_month_deleted")


class MonthIndexPaginator(Paginator):
    """A paginator over ``PressRelease.objects.published()`` ordered newest first (``for_listing``)."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, now=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.now = now or timezone.now()

    @cached_property
    def months(self):
        """[(month, public releases in it)] newest first; a month still receiving scheduled releases is
        counted live (one month's rows), the others by their stored count."""
        months = []
        for month in ArchiveMonth.objects.public(self.now).order_by("-month"):
            count = month.count
            if month.last_published_at > self.now:
                start, end = month_bounds(month.month)
                count = (
                    PressRelease.objects.published(self.now)
                    .filter(published_at__gte=start, published_at__lt=end)
                    .count()
                )
            months.append((month.month, count))
        return months

    @cached_property
    def count(self):
        return sum(count for _, count in self.months)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        newer, before = 0, None
        for month, count in self.months:
            if newer + count > bottom:
                break
            newer += count
            before = month
        queryset = self.object_list
        if before is not None:
            queryset = queryset.filter(published_at__lt=month_bounds(before)[0])
        return Page(list(queryset[bottom - newer : top - newer]), number, self)
