"""Every date and time has a sane range, set in the model, so the admin, the import and every other way in
refuse a year-1 date (which, with Berlin's year-1 offset, is stored before year 1 and cannot be read back)
or a year-9999 one, with a clear message instead of a broken site."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from cityhall.library.models import Office
from partnerships.models import Partnership
from press.models import Correction, PressRelease
from tests.factories import make_person, make_release, make_user
from tests.press.formdata import form_data
from tests.press.test_interchange import document, release, write_content

pytestmark = pytest.mark.django_db

BERLIN = datetime.timezone(datetime.timedelta(hours=1))


@pytest.mark.parametrize(("day", "time"), [("01.01.0001", "00:30"), ("31.12.9999", "23:59")])
def test_the_admin_refuses_a_publication_time_out_of_range(client, day, time):
    release = make_release(title="Eine Mitteilung")
    client.force_login(make_user("chefin", superuser=True))
    url = f"/admin/press/pressrelease/{release.pk}/change/"
    data = form_data(client.get(url))
    data.update({"published_at_0": day, "published_at_1": time})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "zwischen" in response.content.decode()
    release.refresh_from_db()
    assert release.published_at.year > 1


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(1, 1, 1, 0, 30, tzinfo=datetime.UTC),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
    ],
)
def test_models_refuse_times_out_of_range(value):
    release = make_release(title="Eine Mitteilung")
    for instance, field in (
        (PressRelease(title="x", slug="x", published_at=value), "published_at"),
        (Correction(release=release, noted_at=value, text="Korrigiert."), "noted_at"),
    ):
        with pytest.raises(ValidationError) as raised:
            instance.full_clean()
        assert field in raised.value.message_dict


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
def test_models_refuse_dates_out_of_range(day):
    office = Office(person=make_person(), role="Oberbürgermeister", organisation="Stadt", start=day)
    with pytest.raises(ValidationError) as raised:
        office.full_clean()
    assert "start" in raised.value.message_dict
    partnership = Partnership(partner_city="Chemnitz", country="DE", founded_on=day)
    with pytest.raises(ValidationError) as raised:
        partnership.full_clean()
    assert "founded_on" in raised.value.message_dict


def test_the_import_reports_a_year_one_time_in_one_line(tmp_path):
    path = write_content(tmp_path, document(release(published_at="0001-01-01T00:30:00+14:00")))
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path))
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("releases[0] (slug 'eine-mitteilung'): published_at: ")
    assert not PressRelease.objects.exists()
