"""The partnership page without and with press: the partnerships app's own view shows the facts and the
projects and leaves empty blocks; press's view (press/partnership_pages.py) fills them with the releases
and is what the project serves under ``partnerships:detail``."""

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from partnerships import views
from press import partnership_pages
from tests.factories import make_partnership, make_project, make_release
from tests.htmltree import parse

pytestmark = pytest.mark.django_db


def render(view_class, partnership):
    request = RequestFactory().get(partnership.get_absolute_url())
    response = view_class.as_view()(request, slug=partnership.slug)
    response.render()
    assert response.status_code == 200
    return parse(response.content)


def test_the_partnerships_app_alone_shows_no_releases():
    chemnitz = make_partnership(partner_city="Chemnitz")
    make_release(title="Eine Meldung", partnerships=[chemnitz]).projects.add(make_project(chemnitz))

    doc = render(views.PartnershipDetailView, chemnitz)

    assert doc.find("h1").text.startswith("Chemnitz")
    assert doc.find("li", class_="timeline__item") is not None
    assert doc.find("p", class_="timeline__releases") is None
    assert doc.find("section", aria_labelledby="pressemitteilungen") is None
    assert doc.find("link", href="http://testserver/feeds/partnerschaft/chemnitz.atom") is None
    assert "Eine Meldung" not in doc.text


def test_press_fills_the_blocks_of_the_partnership_page():
    chemnitz = make_partnership(partner_city="Chemnitz")
    make_release(title="Eine Meldung", partnerships=[chemnitz]).projects.add(make_project(chemnitz))

    doc = render(partnership_pages.PartnershipDetailView, chemnitz)

    assert "Eine Meldung" in doc.find("p", class_="timeline__releases").text
    assert "Eine Meldung" in doc.find("section", aria_labelledby="pressemitteilungen").text
    assert doc.find("link", href="http://testserver/feeds/partnerschaft/chemnitz.atom") is not None


def test_the_project_serves_press_view_under_the_partnerships_name_and_address():
    address = reverse("partnerships:detail", kwargs={"slug": "chemnitz"})
    assert address == "/partnerstaedte/chemnitz/"
    match = resolve(address)
    assert match.view_name == "partnerships:detail"
    assert match.func.view_class is partnership_pages.PartnershipDetailView
    # The themes page is not taken for a partnership's slug.
    assert resolve("/partnerstaedte/themen/").func.view_class is views.ThemeListView
    assert resolve("/partnerstaedte/").func.view_class is views.PartnershipListView
