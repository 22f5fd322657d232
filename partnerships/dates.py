"""Dates known to a year, a month or a day ("2020", "Oktober 2020", "30. Oktober 2020").

A project of a partnership may be dated only as precisely as the sources allow. Such a date is
stored as a ``DateField`` holding the first day of the period (for a beginning) or the last day
(for an end), plus a precision; so "2019–2020" is stored as 2019-01-01 … 2020-12-31 and the
database can compare beginnings and ends directly.
"""

import calendar
import re
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


class Precision(models.TextChoices):
    YEAR = "year", _("Jahr")
    MONTH = "month", _("Monat")
    DAY = "day", _("Tag")


# ISO 8601 (as in the interchange format and <time datetime>) and the German forms editors type.
_PATTERNS = [
    (re.compile(r"(?P<year>\d{4})"), Precision.YEAR),
    (re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})"), Precision.MONTH),
    (re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"), Precision.DAY),
    (re.compile(r"(?P<month>\d{1,2})[./](?P<year>\d{4})"), Precision.MONTH),
    (re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"), Precision.DAY),
]
_MONTH_NAME = re.compile(r"(?P<month>[A-Za-zäÄ]+)\s+(?P<year>\d{4})")


class PartialDateError(ValueError):
    """The text is not a year, a month or a day."""


def parse(text, *, end=False):
    """``(date, precision)`` for "2020", "10.2020", "Oktober 2020", "30.10.2020" or the ISO forms
    "2020-10" and "2020-10-30". The date is the period's first day, or its last day when ``end``."""
    text = str(text or "").strip()
    values, precision = None, None
    for pattern, candidate in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            values, precision = match.groupdict(), candidate
            break
    if values is None:
        match = _MONTH_NAME.fullmatch(text)
        names = [name.casefold() for name in MONTHS]
        if match and match["month"].casefold() in names:
            values = {"year": match["year"], "month": str(names.index(match["month"].casefold()) + 1)}
            precision = Precision.MONTH
    if values is None:
        raise PartialDateError(text)
    year = int(values["year"])
    month = int(values.get("month") or (12 if end else 1))
    if year < 1 or not 1 <= month <= 12:
        raise PartialDateError(text)
    last_day = calendar.monthrange(year, month)[1]
    day = int(values.get("day") or (last_day if end else 1))
    if not 1 <= day <= last_day:
        raise PartialDateError(text)
    return date(year, month, day), precision


def normalise(value, precision, *, end=False):
    """``value`` moved to the first (or, for an end, the last) day of its period."""
    if value is None:
        return None
    if precision == Precision.YEAR:
        return date(value.year, 12, 31) if end else date(value.year, 1, 1)
    if precision == Precision.MONTH:
        day = calendar.monthrange(value.year, value.month)[1] if end else 1
        return date(value.year, value.month, day)
    return value


def iso(value, precision):
    """ "2020", "2020-10" or "2020-10-30": the interchange form, also valid in ``<time datetime>``."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def german(value, precision):
    """ "2020", "Oktober 2020" or "30. Oktober 2020"."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def editor_text(value, precision):
    """The form an editor types: "2020", "10.2020", "30.10.2020"."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return f"{value.month:02d}.{value.year}"
    return value.strftime("%d.%m.%Y")


def german_range(start, start_precision, end, end_precision):
    """A period as printed: "2020", "2019–2020", "März–Oktober 2020", "März 2019 – Oktober 2020"."""
    if start is None:
        return f"bis {german(end, end_precision)}" if end else ""
    first = german(start, start_precision)
    if end is None:
        return first
    last = german(end, end_precision)
    if first == last:
        return first
    if start_precision == end_precision == Precision.YEAR:
        return f"{start.year}–{end.year}"
    if start_precision == end_precision == Precision.MONTH and start.year == end.year:
        return f"{MONTHS[start.month - 1]}–{last}"
    return f"{first} – {last}"
