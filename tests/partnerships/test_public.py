"""The public partnership pages: the partner city, its projects and its published releases."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.models import Theme
from tests.factories import make_image, make_partnership, make_project, make_release
from tests.htmltree import parse
from tests.press.seed import hidden_releases

pytestmark = pytest.mark.django_db


def get_doc(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content)


def test_partnership_page_shows_city_country_since_summary_and_projects(client):
    chemnitz = make_partnership(
        partner_city="Chemnitz",
        country="de",
        since=1988,
        summary="Seit 1988 verbunden.\n\nViele Begegnungen.",
    )
    project = make_project(chemnitz, title="LaufKulTour", year=2019, end_year=2020, summary="Sportprojekt")
    project.themes.add(Theme.objects.create(name="Sport"), Theme.objects.create(name="Jugend"))
    make_project(chemnitz, title="Bürgerbegegnung", year=2020)
    doc = get_doc(client, "/partnerstaedte/chemnitz/")

    assert doc.find("h1").text == "Chemnitz"
    facts = doc.find("dl", class_="facts").text
    assert "Deutschland" in facts
    assert "1988" in facts
    assert [p.text for p in doc.find("div", class_="summary").find_all("p")] == [
        "Seit 1988 verbunden.",
        "Viele Begegnungen.",
    ]
    projects = doc.find("ul", class_="projects").find_all("li", class_="project")
    assert [p.find("h3").text for p in projects] == ["LaufKulTour", "Bürgerbegegnung"]
    assert projects[0].find("p", class_="project__years").text == "2019–2020"
    assert projects[0].find("p", class_="project__themes").text == "Themen: Jugend, Sport"
    assert doc.find("link", rel="canonical").attrs["href"] == "http://testserver/partnerstaedte/chemnitz/"
    og = {m.attrs["property"]: m.attrs["content"] for m in doc.find_all("meta") if "property" in m.attrs}
    assert og["og:title"] == "Städtepartnerschaft Chemnitz"


def test_partnership_page_lists_its_published_releases_newest_first(client):
    chemnitz = make_partnership(partner_city="Chemnitz")
    other = make_partnership(partner_city="Haifa", country="IL")
    now = timezone.now()
    older = make_release(
        title="Ältere Meldung", published_at=now - timedelta(days=3), partnerships=[chemnitz]
    )
    newer = make_release(
        title="Neuere Meldung", published_at=now - timedelta(days=1), partnerships=[chemnitz]
    )
    make_release(title="Andere Stadt", partnerships=[other])
    for release in hidden_releases():
        release.partnerships.add(chemnitz)
    doc = get_doc(client, "/partnerstaedte/chemnitz/")

    section = doc.find("section", aria_labelledby="pressemitteilungen")
    titles = [h.text for h in section.find_all("h3", class_="card__title")]
    assert titles == [newer.title, older.title]
    assert section.find("a").attrs["href"] == newer.get_absolute_url()
    assert "Geheim" not in doc.text


def test_partnership_without_releases_says_so(client):
    make_partnership(partner_city="Reading", country="GB")
    doc = get_doc(client, "/partnerstaedte/reading/")
    assert "noch keine Pressemitteilungen" in doc.find("section", aria_labelledby="pressemitteilungen").text
    assert "Vereinigtes Königreich" in doc.find("dl", class_="facts").text


def test_unknown_partnership_is_404(client):
    assert client.get("/partnerstaedte/atlantis/").status_code == 404


def test_partnership_list_links_every_partner_city(client):
    make_partnership(partner_city="Warschau", country="PL", since=1989)
    make_partnership(partner_city="Chemnitz", country="DE", since=1988)
    make_partnership(partner_city="Nirgendwo", country="XX", since=None)
    doc = get_doc(client, "/partnerstaedte/")

    items = doc.find("ul", class_="partnership-list").find_all("li")
    assert [(li.find("a").text, li.find("a").attrs["href"]) for li in items] == [
        ("Chemnitz", "/partnerstaedte/chemnitz/"),
        ("Nirgendwo", "/partnerstaedte/nirgendwo/"),
        ("Warschau", "/partnerstaedte/warschau/"),
    ]
    assert items[2].find("span").text == "(Polen, seit 1989)"
    assert items[1].find("span").text == "(XX)"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_partnership_page_queries_do_not_grow(client, django_assert_max_num_queries):
    chemnitz = make_partnership(partner_city="Chemnitz")
    theme = Theme.objects.create(name="Kultur")
    make_project(chemnitz).themes.add(theme)
    make_release(partnerships=[chemnitz], tags=["Eins"], image=make_image())
    few = count_queries(client, "/partnerstaedte/chemnitz/")

    for i in range(15):
        make_project(chemnitz).themes.add(theme, Theme.objects.create(name=f"Thema {i}"))
        make_release(partnerships=[chemnitz], tags=[f"Tag {i}", "Eins"], image=make_image())
    with django_assert_max_num_queries(few):
        client.get("/partnerstaedte/chemnitz/")
    assert few <= 6


def test_partnership_list_queries_do_not_grow(client, django_assert_max_num_queries):
    make_partnership()
    few = count_queries(client, "/partnerstaedte/")
    for _ in range(10):
        make_partnership()
    with django_assert_max_num_queries(few):
        client.get("/partnerstaedte/")


def test_partnerships_app_does_not_import_press():
    """Layering: partnerships sits below press and reaches releases only through the reverse relation."""
    from pathlib import Path

    import partnerships

    for path in Path(partnerships.__file__).parent.rglob("*.py"):
        source = path.read_text()
        assert "from press" not in source and "import press" not in source, path
