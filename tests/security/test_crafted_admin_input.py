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
