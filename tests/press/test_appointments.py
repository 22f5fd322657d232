"""Press appointments: public only once published, .ics per appointment and a calendar feed that real
calendar software reads (icalendar), right across the clock changes; the admin keeps publishing to the
spokespeople."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from press.models import Appointment, PressRelease
from tests.factories import make_contact, make_person, make_release, make_user

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def make_appointment(**kwargs):
    kwargs.setdefault("title", "Oberbürgermeister eröffnet den Partnerschaftsgarten")
    kwargs.setdefault("starts_at", datetime.datetime(2026, 12, 10, 11, 0, tzinfo=BERLIN))
    kwargs.setdefault("place", "Rathaus, Jan-Wellem-Saal")
    kwargs.setdefault("address", "Marktplatz 2, 40213 Düsseldorf")
    kwargs.setdefault("description", "Der Oberbürgermeister eröffnet den Garten.")
    kwargs.setdefault("published", True)
    attendees = kwargs.pop("attendees", [])
    appointment = Appointment(**kwargs)
    appointment.full_clean()
    appointment.save()
    appointment.attendees.add(*attendees)
    return appointment


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_draft_appointment_is_nowhere_public(client, settings):
    draft = make_appointment(title="Geheimer Termin", published=False)
    public = make_appointment(title="Öffentlicher Termin")

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_ics_url()).status_code == 404
    listing = client.get(reverse("press:appointments")).content.decode()
    assert "Öffentlicher Termin" in listing and "Geheimer Termin" not in listing
    feed = parse(client.get(reverse("press:appointments_ics")))
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == [f"Pressetermin: {public.title}"]


def test_calendar_times_are_right_across_both_clock_changes_of_2026(client):
    # 29 March 2026 (CET → CEST) and 25 October 2026 (CEST → CET), both at 10:00 local time.
    spring = make_appointment(
        title="Frühling", starts_at=datetime.datetime(2026, 3, 29, 10, 0, tzinfo=BERLIN)
    )
    autumn = make_appointment(title="Herbst", starts_at=datetime.datetime(2026, 10, 25, 10, 0, tzinfo=BERLIN))

    for appointment, utc_hour, local in ((spring, 8, b"20260329T100000"), (autumn, 9, b"20261025T100000")):
        response = client.get(appointment.get_ics_url())
        assert b"DTSTART;TZID=Europe/Berlin:" + local in response.content
        cal = parse(response)
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
        start = cal.walk("VEVENT")[0].decoded("dtstart")
        assert (start.hour, start.minute) == (10, 0)
        assert start.astimezone(datetime.UTC).hour == utc_hour


def test_an_edited_appointment_keeps_its_uid_and_raises_its_sequence(client):
    appointment = make_appointment()
    first = parse(client.get(appointment.get_ics_url())).walk("VEVENT")[0]
    appointment.place = "Rathaus, Plenarsaal"
    appointment.save()
    second = parse(client.get(appointment.get_ics_url())).walk("VEVENT")[0]
    assert str(first["uid"]) == str(second["uid"])
    assert int(second["sequence"]) == int(first["sequence"]) + 1
    assert "Plenarsaal" in str(second["location"])


def test_page_names_attendees_with_their_office_on_the_day_and_links_only_a_public_release(client):
    mayor = make_person(
        name="Stephan Keller",
        office={"role": "Oberbürgermeister", "organisation": "Landeshauptstadt Düsseldorf"},
    )
    draft = make_release(title="Noch nicht veröffentlicht", status=PressRelease.Status.DRAFT)
    appointment = make_appointment(
        attendees=[mayor], release=draft, contact=make_contact(name="Kerstin Jäckel")
    )

    page = client.get(appointment.get_absolute_url()).content.decode()
    assert "Stephan Keller, Oberbürgermeister, Landeshauptstadt Düsseldorf" in page
    assert "Noch nicht veröffentlicht" not in page and draft.slug not in page
    assert "Kerstin Jäckel" in page

    draft.status = PressRelease.Status.PUBLISHED
    draft.save()
    assert draft.get_absolute_url() in client.get(appointment.get_absolute_url()).content.decode()

    event = parse(client.get(appointment.get_ics_url())).walk("VEVENT")[0]
    assert "Stephan Keller, Oberbürgermeister" in str(event["description"])
    assert str(event["url"]).endswith(appointment.get_absolute_url())


def test_past_appointments_leave_the_upcoming_list_but_stay_in_the_calendar(client):
    make_appointment(title="Vorbei", starts_at=datetime.datetime.now(BERLIN) - datetime.timedelta(days=3))
    make_appointment(title="Bald", starts_at=datetime.datetime.now(BERLIN) + datetime.timedelta(days=3))
    upcoming = [a.title for a in Appointment.objects.upcoming()]
    assert upcoming == ["Bald"]
    feed = parse(client.get(reverse("press:appointments_ics")))
    assert sorted(str(e["summary"]).split(": ")[1] for e in feed.walk("VEVENT")) == ["Bald", "Vorbei"]


def test_end_before_start_is_a_field_error():
    with pytest.raises(ValidationError) as error:
        make_appointment(ends_at=datetime.datetime(2026, 12, 10, 10, 0, tzinfo=BERLIN))
    assert "Das Ende darf nicht vor dem Beginn liegen." in str(error.value)


def test_calendar_feed_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    person = make_person(office={"role": "Beigeordnete", "organisation": "Landeshauptstadt Düsseldorf"})
    for day in range(1, 6):
        make_appointment(
            title=f"Termin {day}",
            starts_at=datetime.datetime(2026, 12, day, 10, 0, tzinfo=BERLIN),
            attendees=[person],
            contact=make_contact(),
        )
    # appointments (with contact and release), attendees, their offices
    with django_assert_num_queries(3):
        client.get(reverse("press:appointments_ics"))


def _admin_post(client, appointment=None, **fields):
    data = {
        "kind": "fototermin",
        "title": "Fototermin im Garten",
        "slug": "",
        "starts_at_0": "10.12.2026",
        "starts_at_1": "11:00",
        "ends_at_0": "",
        "ends_at_1": "",
        "place": "Nordpark",
        "address": "",
        "description": "Fotos mit dem Oberbürgermeister.",
        "accreditation": "",
        **fields,
    }
    url = (
        reverse("admin:press_appointment_change", args=[appointment.pk])
        if appointment
        else reverse("admin:press_appointment_add")
    )
    return client.post(url, data)


def test_redaktion_writes_an_invitation_but_cannot_publish_it(client):
    client.force_login(make_user("redakteurin", "Redaktion"))
    response = _admin_post(client, published="on")
    assert response.status_code == 302, response.content.decode()[:2000]
    appointment = Appointment.objects.get()
    assert appointment.published is False

    appointment.published = True
    appointment.save()
    # Published: on the site and in calendars, so the form is read-only for Redaktion.
    _admin_post(client, appointment, title="Geändert")
    appointment.refresh_from_db()
    assert appointment.title == "Fototermin im Garten"


def test_spokesperson_publishes_an_invitation(client):
    client.force_login(make_user("sprecher", "Pressesprecher/in"))
    assert _admin_post(client, published="on").status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.published is True
    assert client.get(appointment.get_absolute_url()).status_code == 200
