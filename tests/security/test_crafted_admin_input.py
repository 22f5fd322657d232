"""Crafted admin input gets a clear answer, never a server error (HTTP 500)."""

import pytest

from tests.factories import make_release, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["99999999999999999999", "0", "10000", "-1", "abc"])
def test_year_filter_with_an_impossible_year(client, year):
    make_release(title="Eine Mitteilung")
    client.force_login(make_user("chefin", superuser=True))
    response = client.get("/admin/press/pressrelease/", {"jahr": year})
    # The admin's own answer to lookups it cannot take: back to the list with ?e=1.
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?e=1")


@pytest.mark.parametrize("field", ["image", "contact", "partnerships", "tags"])
def test_a_non_numeric_id_in_an_autocomplete_field_is_a_field_error(client, field):
    from tests.press.formdata import form_data

    release = make_release(title="Eine Mitteilung")
    client.force_login(make_user("chefin", superuser=True))
    url = f"/admin/press/pressrelease/{release.pk}/change/"
    data = form_data(client.get(url))
    data[field] = "abc"
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error, nothing lost
    assert b"errorlist" in response.content
