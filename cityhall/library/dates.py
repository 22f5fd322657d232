"""The one sane range for every date and time the site stores: 1800 to 2199.

Beyond it, values break things far from where they were typed: a year-1 time in Berlin is stored before
year 1 in UTC, which the database driver cannot read back (every list showing it fails); 31.12.9999 plus a
time-zone offset overflows. The models put these validators on their date fields, so forms, the import
and every other writer that calls ``full_clean()`` refuse such values with the same message."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FIRST_DAY = datetime.date(1800, 1, 1)
LAST_DAY = datetime.date(2199, 12, 31)


def _refuse():
    raise ValidationError(
        _("Bitte ein Datum zwischen dem %(first)s und dem %(last)s angeben.")
        % {
            "first": date_format(FIRST_DAY, "SHORT_DATE_FORMAT"),
            "last": date_format(LAST_DAY, "SHORT_DATE_FORMAT"),
        },
        code="date_out_of_range",
    )


def validate_date(value):
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        _refuse()


def validate_datetime(value):
    if value is None:
        return
    try:
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    except (OverflowError, ValueError):  # the offset pushes it past year 1 or 9999
        _refuse()
    validate_date(day)
