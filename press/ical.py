"""Press appointments as iCalendar (RFC 5545): one file per appointment and a subscribable calendar of all.

Times are written in the city's zone (``TIME_ZONE``) with its VTIMEZONE, so that a calendar shows 10:00 on the
day of a clock change as well; the UID stays the same and SEQUENCE grows with every change, so that a calendar
that imported an invitation updates it in place instead of adding a second entry.
"""

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.utils import timezone

from cityhall.library.links import absolute_url

PRODID = "-//cityhall-press//Pressetermine//DE"
# How far ahead and back the VTIMEZONE describes the zone's rules: enough for any appointment of the site.
ZONE_YEARS = 5


def _uid(appointment):
    host = (getattr(settings, "SITE_URL", "") or "cityhall-press").split("//")[-1].strip("/")
    return f"pressetermin-{appointment.pk}@{host}"


def _description(appointment):
    parts = [appointment.description]
    people = [
        ", ".join(part for part in (p.full_name, role) if part)
        for p, role in appointment.attendees_with_roles()
    ]
    if people:
        parts.append("Es nehmen teil: " + "; ".join(people))
    if appointment.accreditation:
        parts.append("Akkreditierung: " + appointment.accreditation)
    if appointment.contact:
        contact = appointment.contact
        parts.append(
            "Pressekontakt: "
            + ", ".join(part for part in (contact.name, contact.phone, contact.email) if part)
        )
    return "\n\n".join(parts)


def event(appointment, request=None):
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    entry = icalendar.Event()
    entry.add("uid", _uid(appointment))
    entry.add("sequence", appointment.sequence)
    entry.add("dtstamp", appointment.updated_at or timezone.now())
    entry.add("last-modified", appointment.updated_at or timezone.now())
    entry.add("dtstart", appointment.starts_at.astimezone(zone))
    # Without an end a calendar shows a point in time; an hour is what an open press appointment blocks.
    ends_at = appointment.ends_at or appointment.starts_at + datetime.timedelta(hours=1)
    entry.add("dtend", ends_at.astimezone(zone))
    entry.add("summary", f"{appointment.get_kind_display()}: {appointment.title}")
    entry.add("location", ", ".join(part for part in (appointment.place, appointment.address) if part))
    entry.add("description", _description(appointment))
    entry.add("url", absolute_url(appointment.get_absolute_url(), request))
    entry.add("status", "CONFIRMED")
    entry.add("class", "PUBLIC")
    return entry


def calendar(appointments, name, request=None):
    """The whole VCALENDAR for ``appointments`` as bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    years = []
    for appointment in appointments:
        cal.add_component(event(appointment, request))
        years.append(appointment.starts_at.year)
    today = timezone.localdate()
    first = min([*years, today.year]) - 1
    last = max([*years, today.year]) + ZONE_YEARS
    cal.add_missing_timezones(first_date=datetime.date(first, 1, 1), last_date=datetime.date(last, 12, 31))
    return cal.to_ical()
