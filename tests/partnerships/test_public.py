"""The public partnership pages: overview, a partnership with its projects and published releases,
the themes page, structured data and query counts."""

import json
from datetime import date, timedelta

import extruct
import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.dates import Precision
from partnerships.models import Partnership, Theme
from tests.factories import make_contact, make_image, make_partnership, make_project, make_release
from tests.htmltree import parse
from tests.press.seed import hidden_releases

pytestmark = pytest.mark.django_db


def get_doc(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content)


def make_moskau(**kwargs):
    kwargs.setdefault("partner_city", "Moskau")
    kwargs.setdefault("native_name", "Москва")
    kwargs.setdefault("native_language", "ru")
    kwargs.setdefault("country", "RU")
    kwargs.setdefault("since", 1992)
    kwargs.setdefault("status", Partnership.Status.DORMANT)
    kwargs.setdefault("status_changed_on", date(2022, 2, 25))
    kwargs.setdefault("status_reason", "Nach dem russischen Angriff auf die Ukraine ausgesetzt.")
    kwargs.setdefault("latitude", "55.75580")
    kwargs.setdefault("longitude", "37.61730")
    kwargs.setdefault("wikidata_id", "Q649")
    return make_partnership(**kwargs)


def jsonld(response):
    data = extruct.extract(response.content.decode(), syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert len(data) == 1
    return data[0]


# --- a partnership's page ---------------------------------------------------------------------


def test_partnership_page_shows_the_facts_description_and_contact(client):
    chemnitz = make_partnership(
        partner_city="Chemnitz",
        country="de",
        since=1988,
        first_contact_year=1987,
        council_decision_on=date(1988, 3, 17),
        council_decision="Einstimmiger Beschluss",
        summary="Seit 1988 verbunden.\n\nViele Begegnungen.",
        description="<p>Mit <strong>Karl-Marx-Stadt</strong> geschlossen.</p><script>alert(1)</script>",
        office="Büro für Internationale und Europäische Angelegenheiten",
        contact=make_contact(name="Jessica Breitkopf", role="Leiterin", phone="0211 89-0"),
    )
    doc = get_doc(client, chemnitz.get_absolute_url())

    assert doc.find("h1").text == "Chemnitz"
    facts = {
        # the test tree puts a space between elements: "17. März 1988 : …"
        div.find("dt").text: div.find("dd").text.replace(" :", ":")
        for div in doc.find("dl", class_="facts").find_all("div")
    }
    assert facts == {
        "Land": "Deutschland",
        "Art": "Städtepartnerschaft",
        "Besteht seit": "1988",
        "Status": "aktiv",
        "Erster Kontakt": "1987",
        "Ratsbeschluss": "17. März 1988: Einstimmiger Beschluss",
    }
    assert [p.text for p in doc.find("div", class_="summary").find_all("p")] == [
        "Seit 1988 verbunden.",
        "Viele Begegnungen.",
    ]
    description = doc.find("div", class_="description")
    assert description.find("strong").text == "Karl-Marx-Stadt"
    assert doc.find("script", type=None) is None  # the rich text was sanitised
    contact = doc.find("section", aria_labelledby="kontakt").text
    assert "Büro für Internationale und Europäische Angelegenheiten" in contact
    assert "Jessica Breitkopf, Leiterin" in contact
    assert doc.find("link", rel="canonical").attrs["href"] == "http://testserver/partnerstaedte/chemnitz/"
    og = {m.attrs["property"]: m.attrs["content"] for m in doc.find_all("meta") if "property" in m.attrs}
    assert og["og:title"] == "Städtepartnerschaft Chemnitz"


def test_founding_date_is_shown_to_the_day(client):
    chongqing = make_partnership(
        partner_city="Chongqing", country="CN", since=None, founded_on=date(2004, 7, 22)
    )
    doc = get_doc(client, chongqing.get_absolute_url())
    time = doc.find("dl", class_="facts").find("time")
    assert (time.text, time.attrs["datetime"]) == ("22. Juli 2004", "2004-07-22")
    assert Partnership.objects.get().since == 2004  # taken from the date


def test_native_name_carries_its_language_and_direction(client):
    make_partnership(partner_city="Warschau", native_name="Warszawa", native_language="pl", country="PL")
    make_partnership(partner_city="Haifa", native_name="חיפה", native_language="he", country="IL")
    make_partnership(partner_city="Palermo", native_name="Palermo", native_language="it", country="IT")

    heading = get_doc(client, "/partnerstaedte/warschau/").find("h1")
    native = heading.find("span", lang="pl")
    assert (native.text, native.attrs["dir"]) == ("Warszawa", "ltr")
    assert get_doc(client, "/partnerstaedte/haifa/").find("h1").find("span").attrs == {
        "class": "native-name",
        "lang": "he",
        "dir": "rtl",
    }
    # The same name twice says nothing new.
    assert get_doc(client, "/partnerstaedte/palermo/").find("h1").find("span") is None


def test_projects_form_a_timeline_oldest_first_undated_last(client):
    chemnitz = make_partnership(partner_city="Chemnitz")
    sport, jugend = Theme.objects.create(name="Sport"), Theme.objects.create(name="Jugend")
    make_project(chemnitz, title="Ohne Datum", year=None)
    run = make_project(chemnitz, title="LaufKulTour", year=2019, end_year=2020, summary="Sportprojekt")
    run.themes.add(sport, jugend)
    make_project(
        chemnitz,
        title="Bürgerbegegnung",
        start=date(2020, 10, 1),
        start_precision=Precision.MONTH,
        participants="30 Chemnitzerinnen und Chemnitzer, 30 Düsseldorferinnen und Düsseldorfer",
    )
    make_project(chemnitz, title="Kulturhauptstadt", year=2025)
    doc = get_doc(client, chemnitz.get_absolute_url())

    items = doc.find("ol", class_="timeline").find_all("li", class_="timeline__item")
    assert [item.find("h3").text for item in items] == [
        "LaufKulTour",
        "Bürgerbegegnung",
        "Kulturhauptstadt",
        "Ohne Datum",
    ]
    when = [item.find("p", class_="timeline__when") for item in items]
    assert [w.text for w in when] == ["2019–2020", "Oktober 2020", "2025", "ohne Datum"]
    assert [w.find("time").attrs["datetime"] for w in when[:3]] == ["2019", "2020-10", "2025"]
    assert [a.text for a in items[0].find("p", class_="timeline__themes").find_all("a")] == [
        "Jugend",
        "Sport",
    ]
    assert items[0].find("a").attrs["href"] == "/partnerstaedte/themen/#jugend"
    assert "30 Chemnitzerinnen" in items[1].find("p", class_="timeline__participants").text


def test_a_project_lists_its_published_releases_only(client):
    chemnitz = make_partnership(partner_city="Chemnitz")
    run = make_project(chemnitz, title="LaufKulTour")
    now = timezone.now()
    first = make_release(title="Start der LaufKulTour", published_at=now - timedelta(days=9))
    second = make_release(title="Ankunft in Düsseldorf", published_at=now - timedelta(days=2))
    for release in [first, second, *hidden_releases()]:
        release.projects.add(run)
    doc = get_doc(client, chemnitz.get_absolute_url())

    releases = doc.find("li", class_="timeline__item").find("p", class_="timeline__releases")
    assert [(a.text, a.attrs["href"]) for a in releases.find_all("a")] == [
        (second.title, second.get_absolute_url()),
        (first.title, first.get_absolute_url()),
    ]
    assert "Geheim" not in doc.text


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
    feed_link = doc.find(
        "link",
        type="application/atom+xml",
        href="http://testserver/feeds/partnerschaft/chemnitz.atom",
    )
    assert feed_link is not None


def test_releases_are_paginated_and_a_page_out_of_range_is_404(client, monkeypatch):
    monkeypatch.setattr("press.partnership_pages.RELEASES_PER_PAGE", 2)
    chemnitz = make_partnership(partner_city="Chemnitz")
    now = timezone.now()
    for day in range(5):
        make_release(
            title=f"Meldung {day}", published_at=now - timedelta(days=day + 1), partnerships=[chemnitz]
        )

    page = get_doc(client, "/partnerstaedte/chemnitz/?page=3")
    assert [h.text for h in page.find_all("h3", class_="card__title")] == ["Meldung 4"]
    assert page.find("link", rel="canonical").attrs["href"].endswith("/partnerstaedte/chemnitz/?page=3")
    assert client.get("/partnerstaedte/chemnitz/?page=4").status_code == 404
    assert client.get("/partnerstaedte/chemnitz/?page=abc").status_code == 404


def test_partnership_without_releases_says_so(client):
    make_partnership(partner_city="Reading", country="GB")
    doc = get_doc(client, "/partnerstaedte/reading/")
    assert "noch keine Pressemitteilungen" in doc.find("section", aria_labelledby="pressemitteilungen").text
    assert "Vereinigtes Königreich" in doc.find("dl", class_="facts").text


def test_unknown_partnership_is_404(client):
    assert client.get("/partnerstaedte/atlantis/").status_code == 404
    assert client.get("/partnerstaedte/atlantis/pressemitteilungen.atom").status_code == 404


# --- structured data --------------------------------------------------------------------------


def test_jsonld_describes_the_partner_city_and_the_relation(client, settings):
    settings.CITY_NAME = "Landeshauptstadt Düsseldorf"
    warschau = make_partnership(
        partner_city="Warschau",
        native_name="Warszawa",
        native_language="pl",
        country="PL",
        since=1989,
        latitude="52.22970",
        longitude="21.01220",
        wikidata_id="Q270",
        summary="Seit 1989.",
    )
    data = jsonld(client.get(warschau.get_absolute_url()))

    assert data["@type"] == "WebPage"
    assert data["url"] == "http://testserver/partnerstaedte/warschau/"
    city = data["about"]
    assert city["@type"] == "City"
    assert (city["name"], city["alternateName"]) == ("Warschau", "Warszawa")
    assert city["sameAs"] == "https://www.wikidata.org/wiki/Q270"
    assert city["containedInPlace"] == {"@type": "Country", "name": "Polen", "identifier": "PL"}
    assert city["geo"] == {"@type": "GeoCoordinates", "latitude": 52.2297, "longitude": 21.0122}
    relation, status = city["additionalProperty"]
    assert relation["propertyID"] == "https://www.wikidata.org/wiki/Property:P190"
    assert (relation["name"], relation["value"], relation["startDate"]) == (
        "Städtepartnerschaft",
        "Landeshauptstadt Düsseldorf",
        1989,
    )
    assert (status["name"], status["value"]) == ("Status", "aktiv")


def test_jsonld_without_wikidata_has_no_same_as(client):
    reading = make_partnership(partner_city="Reading", country="GB")
    assert "sameAs" not in jsonld(client.get(reading.get_absolute_url()))["about"]


# --- a dormant partnership is marked as such everywhere ---------------------------------------


def test_dormant_partnership_is_marked_on_every_public_surface(client):
    moskau = make_moskau()
    make_release(title="Meldung zu Moskau", partnerships=[moskau])

    page = client.get(moskau.get_absolute_url())
    doc = parse(page.content)
    assert "(ruht)" in doc.find("title").text
    note = doc.find("div", class_="status-note")
    assert note.find("strong").text == "Partnerschaft ruht seit 25. Februar 2022"
    assert "Nach dem russischen Angriff" in note.text
    facts = {
        div.find("dt").text: div.find("dd").text for div in doc.find("dl", class_="facts").find_all("div")
    }
    assert facts["Status"] == "ruht seit 25. Februar 2022"
    status = jsonld(page)["about"]["additionalProperty"][1]
    assert (status["value"], status["startDate"]) == ("ruhend", "2022-02-25")
    assert "ruht seit 25. Februar 2022" in status["description"]
    assert jsonld(page)["name"] == "Städtepartnerschaft Moskau (ruht)"

    overview = get_doc(client, "/partnerstaedte/")
    item = overview.find("li", class_="partnership-list__item--dormant")
    assert item.find("a").text == "Moskau"
    assert item.find("strong", class_="status-badge").text == "Partnerschaft ruht seit 25. Februar 2022"
    svg = overview.find("svg", class_="partner-map__image")
    assert svg.find("text", font_style="italic").text == "Moskau (ruht)"
    assert svg.find("circle", class_="partner-map__point--dormant") is not None
    assert "ruht seit 25. Februar 2022" in svg.find("desc").text

    feed = feedparser.parse(client.get(reverse("press:partnership_feed_atom", args=[moskau.slug])).content)
    assert "ruht seit 25. Februar 2022" in feed.feed.title


def test_ended_partnership_keeps_its_page_but_leaves_the_map(client):
    old = make_partnership(
        partner_city="Altstadt",
        status=Partnership.Status.ENDED,
        status_changed_on=date(2001, 5, 1),
        latitude="50.00000",
        longitude="10.00000",
    )
    make_partnership(partner_city="Reading", country="GB", latitude="51.45430", longitude="-0.97810")
    overview = get_doc(client, "/partnerstaedte/")

    current = overview.find("ul", aria_labelledby="liste")
    assert [a.text for a in current.find_all("a")] == ["Reading"]
    former = overview.find("ul", aria_labelledby="beendet")
    assert former.find("a").text == "Altstadt"
    assert "beendet am 1. Mai 2001" in former.text
    links = overview.find("svg", class_="partner-map__links").find_all("a")
    assert [a.attrs["href"] for a in links] == ["/partnerstaedte/reading/"]
    assert client.get(old.get_absolute_url()).status_code == 200


# --- the overview and the themes page ---------------------------------------------------------


def test_partnership_list_links_every_current_partner_city(client):
    make_partnership(partner_city="Warschau", country="PL", since=1989)
    make_partnership(partner_city="Chemnitz", country="DE", since=1988)
    make_partnership(partner_city="Chiba", country="JP", since=None, kind=Partnership.Kind.FRIENDSHIP)
    doc = get_doc(client, "/partnerstaedte/")

    items = doc.find("ul", class_="partnership-list").find_all("li")
    assert [(li.find("a").text, li.find("a").attrs["href"]) for li in items] == [
        ("Chemnitz", "/partnerstaedte/chemnitz/"),
        ("Chiba", "/partnerstaedte/chiba/"),
        ("Warschau", "/partnerstaedte/warschau/"),
    ]
    assert (
        items[2].find("span", class_="partnership-list__meta").text
        == "(Polen, Städtepartnerschaft seit 1989)"
    )
    assert items[1].find("span", class_="partnership-list__meta").text == "(Japan, Städtefreundschaft)"


def test_themes_page_lists_projects_by_theme_across_partnerships(client):
    jugend, sport = Theme.objects.create(name="Jugend"), Theme.objects.create(name="Sport")
    Theme.objects.create(name="Unbenutzt")
    reading = make_partnership(partner_city="Reading", country="GB")
    moskau = make_moskau()
    make_project(reading, title="Schüleraustausch", year=1950).themes.add(jugend)
    make_project(moskau, title="Jugendturnier", year=2017).themes.add(jugend, sport)
    doc = get_doc(client, "/partnerstaedte/themen/")

    sections = doc.find_all("section", class_="theme")
    assert [s.find("h2").text for s in sections] == ["Jugend", "Sport"]
    assert [s.find("h2").attrs["id"] for s in sections] == ["jugend", "sport"]
    youth = sections[0].find_all("li")
    assert [li.find("strong").text for li in youth] == ["Schüleraustausch", "Jugendturnier"]
    assert youth[0].find("a").attrs["href"] == "/partnerstaedte/reading/"
    assert "Partnerschaft ruht" in youth[1].text
    assert [a.attrs["href"] for a in doc.find("nav", class_="theme-index").find_all("a")] == [
        "#jugend",
        "#sport",
    ]


def test_themes_page_without_projects_says_so(client):
    Theme.objects.create(name="Kultur")
    assert "keine Projekte" in get_doc(client, "/partnerstaedte/themen/").find("main").text


def test_sitemap_lists_partnerships_and_the_themes_page(client):
    make_partnership(partner_city="Chemnitz")
    body = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/partnerstaedte/chemnitz/" in body
    assert "http://testserver/partnerstaedte/themen/" in body


# --- query counts -----------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_partnership_page_queries_do_not_grow(client, django_assert_max_num_queries):
    chemnitz = make_partnership(
        partner_city="Chemnitz", contact=make_contact(), image=make_image(), latitude="50.8", longitude="12.9"
    )
    theme = Theme.objects.create(name="Kultur")
    make_project(chemnitz).themes.add(theme)
    make_release(partnerships=[chemnitz], tags=["Eins"], image=make_image())
    few = count_queries(client, "/partnerstaedte/chemnitz/")

    for i in range(15):
        project = make_project(chemnitz)
        project.themes.add(theme, Theme.objects.create(name=f"Thema {i}"))
        make_release(partnerships=[chemnitz], tags=[f"Tag {i}", "Eins"], image=make_image()).projects.add(
            project
        )
    with django_assert_max_num_queries(few):
        response = client.get("/partnerstaedte/chemnitz/")
    doc = parse(response.content)
    assert len(doc.find_all("li", class_="timeline__item")) == 16
    assert len(doc.find_all("h3", class_="card__title")) == 16


def test_overview_queries_do_not_grow(client, django_assert_max_num_queries):
    make_partnership(latitude="50.0", longitude="10.0")
    few = count_queries(client, "/partnerstaedte/")
    for n in range(10):
        partnership = make_partnership(latitude=f"{40 + n}.0", longitude=f"{n * 10}.0")
        make_project(partnership)
        make_release(partnerships=[partnership])
    with django_assert_max_num_queries(few):
        response = client.get("/partnerstaedte/")
    assert len(parse(response.content).find("ul", class_="partnership-list").find_all("li")) == 11


def test_themes_page_queries_do_not_grow(client, django_assert_max_num_queries):
    theme = Theme.objects.create(name="Kultur")
    make_project(make_partnership()).themes.add(theme)
    few = count_queries(client, "/partnerstaedte/themen/")
    for n in range(10):
        make_project(make_partnership()).themes.add(theme, Theme.objects.create(name=f"Thema {n}"))
    with django_assert_max_num_queries(few):
        client.get("/partnerstaedte/themen/")


def test_jsonld_is_valid_json_even_with_script_like_text(client):
    evil = make_partnership(partner_city="Evil", summary="</script><script>alert(1)</script>")
    body = client.get(evil.get_absolute_url()).content.decode()
    start = body.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(body[start : body.index("</script>", start)])
    assert data["description"] == "</script><script>alert(1)</script>"
