"""A spokesperson announces a photo call in a real browser: writes it in the admin with the mayor as attendee,
publishes it, finds it on the site and takes it into a calendar (.ics read by icalendar)."""

from pathlib import Path

import icalendar
import pytest

from tests.factories import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, select_id, text):
    page.locator(f"#{select_id}").locator(
        "xpath=following-sibling::span[contains(@class, 'select2')]"
    ).click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option:not(.loading-results)", has_text=text).first.click()


def test_spokesperson_announces_a_photo_call(page, site):
    user = make_user("sprecherin", "Pressesprecher/in")
    user.set_password("geheim-123")
    user.save()
    make_person(
        name="Stephan Keller",
        office={"role": "Oberbürgermeister", "organisation": "Landeshauptstadt Düsseldorf"},
    )

    page.goto(f"{site}/admin/login/?next=/admin/press/appointment/add/")
    page.fill("#id_username", "sprecherin")
    page.fill("#id_password", "geheim-123")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    page.select_option("#id_kind", "fototermin")
    page.fill("#id_title", "Baumpflanzung im Partnerschaftsgarten")
    page.fill("#id_starts_at_0", "29.03.2027")
    page.fill("#id_starts_at_1", "10:30")
    page.fill("#id_place", "Nordpark, Eingang Kaiserswerther Straße")
    page.fill("#id_description", "Der Oberbürgermeister pflanzt einen Baum.\nDanach: Fragen der Presse.")
    pick(page, "id_attendees", "Stephan Keller")
    page.check("#id_published")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert "erfolgreich hinzugefügt" in page.locator(".messagelist").inner_text()

    page.goto(f"{site}/pressetermine/")
    page.get_by_role("link", name="Baumpflanzung im Partnerschaftsgarten").click()
    page.wait_for_load_state()
    facts = page.locator(".appointment__facts").inner_text()
    assert "Montag, 29. März 2027, 10:30 Uhr" in facts
    assert "Stephan Keller, Oberbürgermeister, Landeshauptstadt Düsseldorf" in facts

    with page.expect_download() as download:
        page.get_by_role("link", name="In den Kalender übernehmen").click()
    cal = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    event = cal.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert (start.year, start.month, start.day, start.hour, start.minute) == (2027, 3, 29, 10, 30)
    assert start.utcoffset().total_seconds() == 2 * 3600  # summer time, the day after the change
    assert "Der Oberbürgermeister pflanzt einen Baum.\nDanach: Fragen der Presse." in str(
        event["description"]
    )
