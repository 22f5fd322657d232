"""The archive of published releases: all, by tag, and by year and month under
/pressemitteilungen/archiv/ (its own prefix, so that no release slug can be mistaken for a year)."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.views.generic import ListView, MonthArchiveView, YearArchiveView
from taggit.models import Tag

from cityhall.library.redirects import Redirect

from .archive_index import MonthIndexPaginator
from .models import ArchiveMonth, PressRelease

# Years whose start and end (in Berlin time) datetime can hold in UTC: year 1 in Berlin is year 0 in UTC.
YEAR_PATTERN = "[1-9][0-9]{3}"


class YearConverter:
    regex = YEAR_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter:
    """A month as two digits, "01" to "12" (MonthArchiveView with ``month_format="%m"``)."""

    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


class ArchiveMixin:
    """Published releases, newest first, 20 a page; an invalid or out-of-range ?page= is a 404."""

    paginate_by = 20
    context_object_name = "releases"
    template_name = "press/pressrelease_list.html"
    heading = "Pressemitteilungen"

    def get_queryset(self):
        return PressRelease.objects.published().for_listing()

    def get_heading(self):
        return self.heading

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["heading"] = self.get_heading()
        context["page_title"] = context["heading"] + (f" – Seite {page.number}" if page.number > 1 else "")
        context["canonical_path"] = self.request.path + (f"?page={page.number}" if page.number > 1 else "")
        context["archive_years"] = ArchiveMonth.objects.years()
        return context


class ReleaseListView(ArchiveMixin, ListView):
    # Page 5,000 costs what page 1 does (press/archive_index.py).
    paginator_class = MonthIndexPaginator


class ReleaseTagView(ArchiveMixin, ListView):
    # A tag used only on drafts is not shown: no published release, no page.
    allow_empty = False

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["tag"])
        return super().get_queryset().filter(tags=self.tag)

    def get_heading(self):
        return f"Pressemitteilungen zum Schlagwort „{self.tag.name}“"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class DatedArchiveMixin(ArchiveMixin):
    """Django's date archives over ``published()``, which alone decides what is public (also the
    time of publication, hence ``allow_future``). An empty year or month is a 404."""

    date_field = "published_at"
    allow_future = True
    allow_empty = False
    make_object_list = True
    year_format = "%Y"
    month_format = "%m"

    # The pages link years and months in their navigation, not to a previous or next one; these
    # would cost a query each.
    def get_next_year(self, date):
        return None

    def get_previous_year(self, date):
        return None

    def get_next_month(self, date):
        return None

    def get_previous_month(self, date):
        return None

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The months of the year with public releases, from the small table (no scan of the year).
        months = ArchiveMonth.objects.months_of(int(self.get_year()))
        if not months:
            raise Http404("Keine Pressemitteilungen in diesem Zeitraum.")
        return months

    def get_context_data(self, **kwargs):
        kwargs["year"] = int(self.get_year())
        return super().get_context_data(**kwargs)


class ReleaseYearView(DatedArchiveMixin, YearArchiveView):
    def get_heading(self):
        return f"Pressemitteilungen {int(self.get_year())}"

    def get_context_data(self, **kwargs):
        # ``date_list``: the months of the year with releases.
        return super().get_context_data(archive_months=kwargs["date_list"], **kwargs)


class ReleaseMonthView(DatedArchiveMixin, MonthArchiveView):
    # The navigation lists the months of the year (``get_date_list``), not the days of the month.

    def get_heading(self):
        month = datetime.date(int(self.get_year()), int(self.get_month()), 1)
        return f"Pressemitteilungen {date_format(month, 'F Y')}"

    def get_context_data(self, **kwargs):
        kwargs["month"] = int(self.get_month())
        return super().get_context_data(archive_months=kwargs["date_list"], **kwargs)


def is_year(slug):
    return len(slug) == 4 and slug.isdigit() and slug[0] != "0"


def old_year_address(request, slug):
    """/pressemitteilungen/2024/ was the year archive: a permanent redirect to it, unless a release
    has that slug (then the release's page answers, see ``ReleaseDetailView``)."""
    if not is_year(slug) or Redirect.objects.target_for(request):
        # Not a year, or a release's old address (RedirectFallbackMiddleware answers for it).
        raise Http404("Keine Pressemitteilung unter dieser Adresse.")
    return _redirect_keeping_query(request, "press:year", slug)


def old_month_address(request, year, month):
    """/pressemitteilungen/2024/5/ (or /05/) was the month archive: a permanent redirect to it."""
    if not (is_year(str(year)) and 1 <= month <= 12):
        raise Http404("Kein gültiger Monat.")
    return _redirect_keeping_query(request, "press:month", year, month)


def _redirect_keeping_query(request, name, *args):
    response = redirect(name, *args, permanent=True)
    if request.META.get("QUERY_STRING"):
        response["Location"] += "?" + request.META["QUERY_STRING"]
    return response
