"""The partnership map: drawn on the server, with a text alternative, and nothing loaded from elsewhere."""

import re
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.utils import translation

from partnerships import map as partner_map
from partnerships.models import Partnership
from tests.factories import make_partnership
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

CITIES = [
    ("Reading", "GB", "51.45430", "-0.97810"),
    ("Chemnitz", "DE", "50.82780", "12.92140"),
    ("Warschau", "PL", "52.22970", "21.01220"),
    ("Chongqing", "CN", "29.56300", "106.55160"),
    ("Chiba", "JP", "35.60740", "140.10650"),
]


def make_cities():
    return [
        make_partnership(partner_city=name, country=country, latitude=lat, longitude=lon)
        for name, country, lat, lon in CITIES
    ]


def overview(client):
    response = client.get("/partnerstaedte/")
    assert response.status_code == 200
    return response, parse(response.content)


def test_map_is_an_image_with_a_text_alternative(client):
    make_cities()
    _, doc = overview(client)

    svg = doc.find("svg", class_="partner-map__image")
    assert svg.attrs["role"] == "img"
    title_id, desc_id = svg.attrs["aria-labelledby"].split()
    title, desc = svg.find("title"), svg.find("desc")
    assert title.attrs["id"] == title_id and desc.attrs["id"] == desc_id
    assert title.text == "Karte: Düsseldorf und seine Partnerstädte"
    # The description names every city with its country, and points to the list as the way in.
    for name, *_ in CITIES:
        assert name in desc.text
    assert "Chongqing (China), Städtepartnerschaft seit 1988" in desc.text
    assert "Liste unter der Karte" in desc.text
    # The picture itself holds no links (its content is presentational for assistive technology).
    assert svg.find("a") is None


def test_every_point_links_to_its_partnership_from_a_hidden_layer(client):
    cities = make_cities()
    _, doc = overview(client)

    layer = doc.find("svg", class_="partner-map__links")
    assert layer.attrs["aria-hidden"] == "true"
    links = layer.find_all("a")
    assert sorted(a.attrs["href"] for a in links) == sorted(p.get_absolute_url() for p in cities)
    assert {a.attrs["tabindex"] for a in links} == {"-1"}
    # The list is the accessible alternative: the same partnerships, as ordinary links.
    listed = doc.find("ul", class_="partnership-list").find_all("a")
    assert sorted(a.attrs["href"] for a in listed) == sorted(a.attrs["href"] for a in links)
    # Each link's hit area sits on its point.
    points = {
        (c.attrs["cx"], c.attrs["cy"])
        for c in doc.find("svg", class_="partner-map__image").find_all("circle", class_="partner-map__point")
    }
    assert {(a.find("circle").attrs["cx"], a.find("circle").attrs["cy"]) for a in links} == points


def test_map_and_page_request_nothing_from_elsewhere(client):
    make_cities()
    response, doc = overview(client)
    html = response.content.decode()

    svg_markup = html[html.index('<figure class="partner-map">') : html.index("</figure>")]
    assert not re.search(r"https?:", svg_markup), "the map names an outside address"
    assert not re.search(r"(href|src)=\"//", svg_markup)
    assert "<image" not in svg_markup and "@import" not in svg_markup and "url(" not in svg_markup
    # Everything the page loads comes from the site itself.
    loaded = [el.attrs.get("src") for el in doc.find_all() if el.tag in {"img", "script", "iframe", "source"}]
    loaded += [
        el.attrs["href"]
        for el in doc.find_all("link")
        if el.attrs.get("rel") in {"stylesheet", "icon", "preload"}
    ]
    for address in filter(None, loaded):
        assert urlsplit(address).netloc in ("", "testserver"), address


def test_coordinates_are_written_with_a_decimal_point_in_german(client):
    make_cities()
    with translation.override("de"):
        _, doc = overview(client)
    for circle in doc.find("svg", class_="partner-map__image").find_all("circle"):
        assert re.fullmatch(r"-?\d+(\.\d+)?", circle.attrs["cx"]), circle.attrs["cx"]
    assert "," not in doc.find("svg", class_="partner-map__image").attrs["viewbox"]


def test_points_and_labels_lie_inside_the_map():
    cities = [
        SimpleNamespace(
            partner_city=name,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            has_coordinates=True,
            is_dormant=False,
            get_absolute_url=lambda name=name: f"/{name}/",
        )
        for name, _, lat, lon in CITIES
    ]
    drawn = partner_map.build_map(cities)

    assert drawn.width == partner_map.WIDTH
    assert partner_map.MIN_RATIO - 0.01 <= drawn.height / drawn.width <= partner_map.MAX_RATIO + 0.01
    for point in [drawn.home, *drawn.points]:
        assert 0 <= point.x <= drawn.width and 0 <= point.y <= drawn.height
        assert 0 <= point.label_x <= drawn.width and 0 <= point.label_y <= drawn.height
    # West is left, north is up.
    by_name = {p.name: p for p in drawn.points}
    assert by_name["Reading"].x < drawn.home.x < by_name["Chemnitz"].x < by_name["Chiba"].x
    assert by_name["Warschau"].y < by_name["Chongqing"].y
    assert drawn.land.startswith("M") and drawn.land.count("Z") > 5


def test_no_map_without_coordinates_but_the_list_stays(client):
    make_partnership(partner_city="Reading", country="GB")
    _, doc = overview(client)
    assert doc.find("figure", class_="partner-map") is None
    assert doc.find("ul", class_="partnership-list").find("a").text == "Reading"


def test_a_single_nearby_partner_still_gets_a_readable_frame():
    chemnitz = SimpleNamespace(
        partner_city="Chemnitz",
        latitude=Decimal("50.8278"),
        longitude=Decimal("12.9214"),
        has_coordinates=True,
        is_dormant=False,
        get_absolute_url=lambda: "/chemnitz/",
    )
    drawn = partner_map.build_map([chemnitz])
    assert drawn.points[0].x - drawn.home.x > 100  # not squeezed onto one spot
    assert drawn.land  # the coast of the North Sea is in the frame


def test_dormant_points_differ_from_active_ones(client):
    make_partnership(partner_city="Reading", country="GB", latitude="51.4", longitude="-1.0")
    make_partnership(
        partner_city="Moskau",
        country="RU",
        latitude="55.7",
        longitude="37.6",
        status=Partnership.Status.DORMANT,
        status_changed_on="2022-02-25",
    )
    _, doc = overview(client)
    svg = doc.find("svg", class_="partner-map__image")
    dormant = svg.find("circle", class_="partner-map__point--dormant")
    active = [c for c in svg.find_all("circle", class_="partner-map__point") if c is not dormant]
    assert dormant.attrs["fill"] != active[0].attrs["fill"]
    assert "stroke-dasharray" in dormant.attrs
    assert sorted(t.text for t in svg.find_all("text")) == ["Düsseldorf", "Moskau (ruht)", "Reading"]
