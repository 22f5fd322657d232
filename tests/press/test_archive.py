"""The archives on their own prefix (/pressemitteilungen/archiv/), and the old archive addresses
answering with permanent redirects, so that a release may have any slug that is not reserved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from press.models import PressRelease
from tests.factories import make_release
from tests.htmltree import parse
from tests.press.seed import BERLIN

pytestmark = pytest.mark.django_db


def at(year, month, day=15):
    return datetime.datetime(year, month, day, 12, tzinfo=BERLIN)


def test_url_names_point_at_the_new_prefix():
    assert reverse("press:year", args=[2024]) == "/pressemitteilungen/archiv/2024/"
    assert reverse("press:month", args=[2024, 5]) == "/pressemitteilungen/archiv/2024/05/"
    assert reverse("press:list") == "/pressemitteilungen/"
    assert reverse("press:tag", args=["kultur"]) == "/pressemitteilungen/schlagwort/kultur/"


def test_year_archive_under_the_new_prefix(client):
    make_release(title="Mai", published_at=at(2024, 5))
    make_release(title="Juli", published_at=at(2024, 7))
    make_release(title="Vorjahr", published_at=at(2023, 1))
    make_release(title="Entwurf", published_at=at(2024, 6), status=PressRelease.Status.DRAFT)
    response = client.get("/pressemitteilungen/archiv/2024/")
    assert response.status_code == 200
    doc = parse(response.content)
    assert doc.find("h1").text == "Pressemitteilungen 2024"
    assert [h.text for h in doc.find_all("h2", class_="card__title")] == ["Juli", "Mai"]
    months = doc.find("nav", class_="archive-months")
    assert months.attrs["aria-label"] == "Monate 2024"
    assert [(a.text, a.attrs["href"]) for a in months.find_all("a")] == [
        ("Mai", "/pressemitteilungen/archiv/2024/05/"),
        ("Juli", "/pressemitteilungen/archiv/2024/07/"),
    ]
    years = doc.find("nav", class_="archive-years")
    assert [(a.text, a.attrs["href"]) for a in years.find_all("a")] == [
        ("2024", "/pressemitteilungen/archiv/2024/"),
        ("2023", "/pressemitteilungen/archiv/2023/"),
    ]
    assert years.find("a", aria_current="page").text == "2024"
    assert doc.find("link", rel="canonical").attrs["href"].endswith("/pressemitteilungen/archiv/2024/")


def test_month_archive_under_the_new_prefix(client):
    make_release(title="Mai", published_at=at(2024, 5))
    make_release(title="Juli", published_at=at(2024, 7))
    doc = parse(client.get("/pressemitteilungen/archiv/2024/05/").content)
    assert doc.find("h1").text == "Pressemitteilungen Mai 2024"
    assert [h.text for h in doc.find_all("h2", class_="card__title")] == ["Mai"]
    months = doc.find("nav", class_="archive-months")
    assert [a.text for a in months.find_all("a")] == ["Mai", "Juli"]
    assert months.find("a", aria_current="page").text == "Mai"
    assert doc.find("nav", class_="archive-years").find("a", aria_current="true").text == "2024"


def test_archive_pages_paginate_with_a_canonical_page_address(client):
    for day in range(1, 23):
        make_release(title=f"Tag {day:02d}", published_at=at(2024, 5, day))
    for url in ("/pressemitteilungen/archiv/2024/", "/pressemitteilungen/archiv/2024/05/"):
        doc = parse(client.get(url, {"page": 2}).content)
        assert [h.text for h in doc.find_all("h2", class_="card__title")] == ["Tag 02", "Tag 01"]
        assert doc.find("title").text.startswith(doc.find("h1").text + " – Seite 2")
        assert doc.find("link", rel="canonical").attrs["href"].endswith(f"{url}?page=2")
        assert client.get(url, {"page": 3}).status_code == 404


def test_year_and_month_pages_cost_what_they_did(client):
    make_release(published_at=at(2024, 5), tags=["Kultur"])
    counts = {}
    for url in (
        "/pressemitteilungen/",
        "/pressemitteilungen/archiv/2024/",
        "/pressemitteilungen/archiv/2024/05/",
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    # The list page plus one "is it empty?" check and the months of the year.
    assert counts["/pressemitteilungen/archiv/2024/"] == counts["/pressemitteilungen/"] + 2
    assert counts["/pressemitteilungen/archiv/2024/05/"] == counts["/pressemitteilungen/archiv/2024/"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/pressemitteilungen/2024/", "/pressemitteilungen/archiv/2024/"),
        ("/pressemitteilungen/2024/05/", "/pressemitteilungen/archiv/2024/05/"),
        ("/pressemitteilungen/2024/5/", "/pressemitteilungen/archiv/2024/05/"),
        ("/pressemitteilungen/2024/?page=2", "/pressemitteilungen/archiv/2024/?page=2"),
    ],
)
def test_old_archive_addresses_redirect_permanently(client, old, new):
    make_release(published_at=at(2024, 5))
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


@pytest.mark.parametrize(
    "url", ["/pressemitteilungen/0999/", "/pressemitteilungen/99999/", "/pressemitteilungen/2024/13/"]
)
def test_old_addresses_that_were_never_an_archive_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_release_titled_with_a_year_is_reachable_under_its_slug(client):
    make_release(title="Archivmeldung", published_at=at(2026, 1))
    release = make_release(title="2026", published_at=at(2025, 3))
    assert release.slug == "2026"
    response = client.get("/pressemitteilungen/2026/")
    assert response.status_code == 200
    assert parse(response.content).find("h1").text == "2026"
    # The year archive is still there, under its own prefix.
    doc = parse(client.get("/pressemitteilungen/archiv/2026/").content)
    assert [h.text for h in doc.find_all("h2", class_="card__title")] == ["Archivmeldung"]


def test_a_draft_with_a_year_as_slug_does_not_leak(client):
    make_release(title="2024", status=PressRelease.Status.DRAFT, published_at=at(2024, 5))
    response = client.get("/pressemitteilungen/2024/")
    # Redirected to the year archive, which has no public release: 404 there.
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 404
