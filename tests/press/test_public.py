"""The public press pages: what a reader, a search engine and a screen reader get."""

import datetime
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityhall.library import renditions
from press.models import PressRelease
from tests.factories import (
    add_background,
    add_image,
    add_quote,
    add_text,
    make_image,
    make_person,
    make_release,
)
from tests.htmltree import parse
from tests.press.seed import (
    BERLIN,
    KELLER_QUOTE,
    SCHULZE_QUOTE,
    SEED_CAPTION,
    hidden_releases,
    make_seed_release,
)

pytestmark = pytest.mark.django_db


def get_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response, parse(response.content)


def jsonld_of(doc):
    scripts = doc.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


# --- The release page -------------------------------------------------------------------------------------


def test_seed_release_renders_as_semantic_article(client):
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())

    article = doc.find("article", class_="release")
    assert article.find("h1").text == "Virtuelles Treffen der Partnerstädte Düsseldorf und Chemnitz"
    assert article.find("p", class_="kicker").text == "Internationales"
    assert article.find("p", class_="subtitle").text == "Oberbürgermeister tauschen sich aus"
    assert article.find("p", class_="lead").text.startswith("Oberbürgermeister Dr. Stephan Keller bespricht")
    time = article.find("time")
    assert time.attrs["datetime"] == "2021-01-28T14:00:00+01:00"
    assert time.text == "28. Januar 2021, 14:00 Uhr"
    assert len(doc.find_all("h1")) == 1


def test_lead_image_is_a_figure_with_caption_and_credit(client):
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())

    figures = doc.find_all("figure", class_="figure")
    lead = figures[0]
    img = lead.find("img")
    assert img.attrs["src"] == renditions.url(release.image, "w64", "jpeg")  # never the /media/ original
    assert img.attrs["alt"] == "Bildschirm mit zwei Oberbürgermeistern in einer Videokonferenz"
    assert (img.attrs["width"], img.attrs["height"]) == ("64", "48")
    caption = lead.find("figcaption")
    assert SEED_CAPTION in caption.text
    credit = caption.find("small", class_="credit")
    assert credit.text.startswith("© Landeshauptstadt Düsseldorf")
    assert credit.find("a", rel="license").attrs["href"] == "https://example.org/lizenz"


def test_decorative_image_block_has_empty_alt_and_keeps_its_credit(client):
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())

    block_figure = doc.find_all("figure", class_="figure")[1]
    img = block_figure.find("img")
    assert "alt" in img.attrs
    assert img.attrs["alt"] == ""
    assert block_figure.find("figcaption").find("small", class_="credit").text == "© Stadt Chemnitz"
    assert "Rathaus Chemnitz" in block_figure.find("figcaption").text


def test_overridden_alt_text_and_caption_win_over_the_library(client):
    release = make_release()
    add_image(
        release, make_image(alt_text="Bibliothek", caption="Alt"), alt_text="Hier anders", caption="Neu"
    )
    _, doc = get_page(client, release.get_absolute_url())

    figure = doc.find("figure", class_="figure")
    assert figure.find("img").attrs["alt"] == "Hier anders"
    assert figure.find("span", class_="figure__caption").text == "Neu"


def test_quotes_are_blockquotes_in_figures_naming_the_speaker(client):
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())

    quotes = doc.find_all("figure", class_="quote")
    assert len(quotes) == 2
    for figure in quotes:
        assert figure.find("blockquote").find("p") is not None
    assert quotes[0].find("blockquote").text == f"„{KELLER_QUOTE}“"
    assert (
        quotes[0].find("figcaption").text
        == "Dr. Stephan Keller, Oberbürgermeister, Landeshauptstadt Düsseldorf"
    )
    assert quotes[1].find("blockquote").text == f"„{SCHULZE_QUOTE}“"
    assert quotes[1].find("figcaption").text == "Sven Schulze, Oberbürgermeister, Stadt Chemnitz"


def test_quote_over_several_paragraphs_opens_and_closes_once(client):
    release = make_release()
    add_quote(
        release, make_person(name="Anna Muster"), "Erster Absatz.\n\nZweiter Absatz.", role="Beigeordnete"
    )
    _, doc = get_page(client, release.get_absolute_url())

    paragraphs = doc.find("figure", class_="quote").find("blockquote").find_all("p")
    assert [p.text for p in paragraphs] == ["„Erster Absatz.", "Zweiter Absatz.“"]
    assert doc.find("figure", class_="quote").find("figcaption").text == "Anna Muster, Beigeordnete"


def test_background_box_is_an_aside_labelled_by_its_heading(client):
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())

    aside = doc.find("aside", class_="background")
    heading = aside.find("h2")
    assert heading.text == "Hintergrund Städtepartnerschaft"
    assert aside.attrs["aria-labelledby"] == heading.attrs["id"]
    assert "besteht seit 1988" in aside.text


def test_text_block_html_is_rendered_not_escaped(client):
    release = make_seed_release()
    response, doc = get_page(client, release.get_absolute_url())

    assert doc.find("div", class_="text").find("strong").text == "eng"
    assert b"&lt;strong&gt;" not in response.content


def test_text_is_sanitised_on_save_so_safe_output_cannot_run_script(client):
    release = make_release()
    add_text(release, '<p>Hallo<script>alert(1)</script><a href="javascript:alert(1)">x</a></p>')
    response, _ = get_page(client, release.get_absolute_url())

    assert b"<script>alert(1)" not in response.content
    assert b"javascript:" not in response.content


def test_blocks_keep_their_order_across_block_types(client):
    release = make_release()
    add_background(release, title="Zuerst", ordering=10)
    add_text(release, "<p>Danach</p>", ordering=20)
    add_quote(release, make_person(name="Zum Schluss"), "Ende.", ordering=30)
    response, _ = get_page(client, release.get_absolute_url())

    html = response.content.decode()
    assert html.index("Zuerst") < html.index("Danach") < html.index("Zum Schluss")


def test_tags_partnerships_and_contact_are_linked(client):
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())

    tag_links = {a.text: a.attrs["href"] for a in doc.find_all("a", rel="tag")}
    assert tag_links == {
        "Internationales": reverse("press:tag", args=["internationales"]),
        "Chemnitz": reverse("press:tag", args=["chemnitz"]),
    }
    partnership_link = doc.find("section", class_="related").find("a")
    assert partnership_link.text == "Städtepartnerschaft Chemnitz"
    assert partnership_link.attrs["href"] == "/partnerstaedte/chemnitz/"

    address = doc.find("section", class_="contact").find("address")
    assert "Erika Mustermann" in address.text
    assert "Pressesprecherin" in address.text
    assert address.find("a", href="mailto:presse@example.org") is not None
    assert address.find("a", href="tel:02118900000").text == "0211 89-00000"


def test_head_has_canonical_feed_opengraph_and_description(client):
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())

    url = "http://testserver" + release.get_absolute_url()
    assert doc.find("link", rel="canonical").attrs["href"] == url
    atom = doc.find("link", rel="alternate", type="application/atom+xml")
    assert atom.attrs["href"] == "http://testserver/feeds/pressemitteilungen.atom"
    og = {m.attrs["property"]: m.attrs["content"] for m in doc.find_all("meta") if "property" in m.attrs}
    assert og["og:title"] == release.title
    assert og["og:type"] == "article"
    assert og["og:url"] == url
    assert og["og:locale"] == "de_DE"
    assert og["og:description"] == release.lead
    assert og["og:image"] == "http://testserver" + renditions.url(release.image, "social", "jpeg")
    assert og["og:image:width"] == "64"
    description = doc.find("meta", name="description").attrs["content"]
    assert description.startswith("Oberbürgermeister Dr. Stephan Keller bespricht")
    assert doc.find("meta", name="robots") is None
    assert doc.find("html").attrs["lang"] == "de"


def test_site_url_setting_makes_absolute_links_use_the_public_host(client, settings):
    settings.SITE_URL = "https://presse.example.de"
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())

    url = "https://presse.example.de" + release.get_absolute_url()
    assert doc.find("link", rel="canonical").attrs["href"] == url
    assert jsonld_of(doc)["mainEntityOfPage"]["@id"] == url


# --- Structured data ----------------------------------------------------------------------------------------


def test_jsonld_news_article_has_the_expected_fields(client):
    release = make_seed_release()
    _, doc = get_page(client, release.get_absolute_url())
    data = jsonld_of(doc)
    release.refresh_from_db()

    url = "http://testserver" + release.get_absolute_url()
    city = {"@type": "GovernmentOrganization", "name": "Landeshauptstadt Düsseldorf"}
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == release.title
    assert data["description"] == release.lead
    assert data["datePublished"] == "2021-01-28T14:00:00+01:00"
    # No corrections: modified when published (internal saves do not count).
    assert data["dateModified"] == "2021-01-28T14:00:00+01:00"
    assert data["inLanguage"] == "de"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["author"] == city
    assert data["publisher"] == city
    assert sorted(data["keywords"]) == ["Chemnitz", "Internationales"]

    lead, block = data["image"]
    assert lead == {
        "@type": "ImageObject",
        "url": "http://testserver" + renditions.url(release.image, "w64", "jpeg"),
        "contentUrl": "http://testserver" + renditions.url(release.image, "w64", "jpeg"),
        "width": 64,
        "height": 48,
        "caption": SEED_CAPTION,
        "creditText": "© Landeshauptstadt Düsseldorf",
        "copyrightNotice": "Landeshauptstadt Düsseldorf",
        "license": "https://example.org/lizenz",
    }
    assert block["creditText"] == "© Stadt Chemnitz"
    assert "license" not in block


def test_jsonld_cannot_be_broken_out_of_by_a_title(client):
    evil = "</script><script>alert(1)</script>"
    release = make_release(title=f"Vorsicht {evil}", lead="A & B <b>")
    response, doc = get_page(client, release.get_absolute_url())

    assert b"<script>alert(1)</script>" not in response.content
    # The whole JSON survives intact inside its one script element.
    data = jsonld_of(doc)
    assert data["headline"] == f"Vorsicht {evil}"
    assert data["description"] == "A & B <b>"
    assert doc.find("h1").text == f"Vorsicht {evil}"


# --- Visibility ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/pressemitteilungen/",
        "/pressemitteilungen/archiv/{year}/",
        "/pressemitteilungen/schlagwort/internationales/",
    ],
)
def test_drafts_and_embargoed_releases_are_not_listed(client, url):
    visible = make_release(title="Öffentlich Sichtbar", tags=["Internationales"])
    hidden_releases()
    response, _ = get_page(client, url.format(year=timezone.localtime(visible.published_at).year))

    assert "Öffentlich Sichtbar" in response.content.decode()
    assert b"Geheim" not in response.content
    assert b"sperrfrist" not in response.content
    assert b"entwurf" not in response.content


def test_drafts_and_embargoed_releases_have_no_detail_page(client):
    for release in hidden_releases():
        response = client.get(release.get_absolute_url())
        assert response.status_code == 404


def test_embargoed_release_appears_once_its_time_has_come(client):
    release = make_release(published_at=timezone.now() + timedelta(minutes=5))
    assert client.get(release.get_absolute_url()).status_code == 404
    PressRelease.objects.filter(pk=release.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(release.get_absolute_url()).status_code == 200


def test_unknown_slug_is_a_404_with_the_site_template(client):
    _, doc = get_page(client, "/pressemitteilungen/gibt-es-nicht/", status=404)
    assert doc.find("h1").text == "Seite nicht gefunden"
    assert doc.find("main", id="inhalt") is not None


def test_editors_preview_drafts_without_caching_or_indexing(client):
    draft, embargoed = hidden_releases()
    editor = User.objects.create_user("redaktion", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="change_pressrelease"))
    client.force_login(editor)

    for release in (draft, embargoed):
        response, doc = get_page(client, release.get_absolute_url())
        assert doc.find("meta", name="robots").attrs["content"] == "noindex"
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control
        assert doc.find("p", class_="preview-note") is not None


def test_logged_in_users_without_permission_get_no_preview(client):
    draft, _ = hidden_releases()
    client.force_login(User.objects.create_user("leser", password="x"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_release_seen_by_an_editor_is_no_preview(client):
    release = make_release()
    editor = User.objects.create_user("redaktion", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="change_pressrelease"))
    client.force_login(editor)
    response, doc = get_page(client, release.get_absolute_url())
    assert doc.find("meta", name="robots") is None
    assert "no-store" not in response.get("Cache-Control", "")


# --- Lists, pagination, year and tag pages -------------------------------------------------------------


def make_many(count, **kwargs):
    now = timezone.now()
    return [
        make_release(title=f"Meldung {i:02d}", published_at=now - timedelta(hours=i + 1), **kwargs)
        for i in range(count)
    ]


def test_home_shows_the_ten_latest(client):
    make_many(12)
    _, doc = get_page(client, "/")
    titles = [h.text for h in doc.find_all("h2", class_="card__title")]
    assert titles == [f"Meldung {i:02d}" for i in range(10)]


def test_list_is_paginated_by_twenty_newest_first(client):
    make_many(21)
    _, doc = get_page(client, "/pressemitteilungen/")
    titles = [h.text for h in doc.find_all("h2", class_="card__title")]
    assert titles == [f"Meldung {i:02d}" for i in range(20)]
    assert doc.find("a", rel="next").attrs["href"] == "?page=2"

    _, doc = get_page(client, "/pressemitteilungen/?page=2")
    assert [h.text for h in doc.find_all("h2", class_="card__title")] == ["Meldung 20"]
    assert doc.find("link", rel="canonical").attrs["href"] == "http://testserver/pressemitteilungen/?page=2"
    assert doc.find("a", rel="prev").attrs["href"] == "/pressemitteilungen/"
    assert "Seite 2" in doc.find("title").text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5", "9" * 30, "9" * 5000, "%00", "1e3", "2"])
def test_bad_page_numbers_are_404_not_500(client, page):
    make_many(3, tags=["Kultur"])
    year = timezone.localdate().year
    for url in (
        "/pressemitteilungen/",
        f"/pressemitteilungen/archiv/{year}/",
        "/pressemitteilungen/schlagwort/kultur/",
    ):
        assert client.get(url, {"page": page}).status_code == 404


def test_page_last_and_empty_page_are_fine(client):
    make_many(3)
    assert client.get("/pressemitteilungen/", {"page": "last"}).status_code == 200
    assert client.get("/pressemitteilungen/?page=").status_code == 200
    assert client.get("/pressemitteilungen/", {"page": "1"}).status_code == 200


def test_empty_archive_is_not_an_error(client):
    _, doc = get_page(client, "/pressemitteilungen/")
    assert "keine Pressemitteilungen" in doc.find("main").text
    assert client.get("/").status_code == 200


def test_year_page_counts_in_berlin_time(client):
    late_2021 = make_release(
        title="Silvester", published_at=datetime.datetime(2021, 12, 31, 23, 30, tzinfo=BERLIN)
    )
    early_2022 = make_release(
        title="Neujahr", published_at=datetime.datetime(2022, 1, 1, 0, 30, tzinfo=BERLIN)
    )
    assert early_2022.published_at.astimezone(datetime.UTC).year == 2021

    _, doc = get_page(client, "/pressemitteilungen/archiv/2021/")
    assert [h.text for h in doc.find_all("h2", class_="card__title")] == [late_2021.title]
    assert doc.find("h1").text == "Pressemitteilungen 2021"
    _, doc = get_page(client, "/pressemitteilungen/archiv/2022/")
    assert [h.text for h in doc.find_all("h2", class_="card__title")] == [early_2022.title]
    # The archive navigation lists both years, newest first.
    years = [a.text for a in doc.find("nav", class_="archive-years").find_all("a")]
    assert years == ["2022", "2021"]
    assert doc.find("nav", class_="archive-years").find("a", aria_current="page").text == "2022"


@pytest.mark.parametrize("year", ["0", "1", "0001", "1999", "9999", "99999", "9" * 40])
def test_years_without_releases_or_out_of_range_are_404(client, year):
    make_release()
    assert client.get(f"/pressemitteilungen/archiv/{year}/").status_code == 404


def test_year_of_only_hidden_releases_is_404(client):
    make_release(published_at=datetime.datetime(2021, 5, 1, tzinfo=BERLIN), status=PressRelease.Status.DRAFT)
    assert client.get("/pressemitteilungen/archiv/2021/").status_code == 404


def test_tag_page_lists_the_releases_with_that_tag(client):
    make_release(title="Mit Schlagwort", tags=["Kultur"])
    make_release(title="Ohne Schlagwort", tags=["Sport"])
    _, doc = get_page(client, "/pressemitteilungen/schlagwort/kultur/")
    assert [h.text for h in doc.find_all("h2", class_="card__title")] == ["Mit Schlagwort"]
    assert doc.find("h1").text == "Pressemitteilungen zum Schlagwort „Kultur“"


def test_tag_with_umlaut_has_a_working_page(client):
    release = make_release(tags=["Städtepartnerschaft"])
    _, doc = get_page(client, release.get_absolute_url())
    href = doc.find("a", rel="tag").attrs["href"]
    assert href == "/pressemitteilungen/schlagwort/st%C3%A4dtepartnerschaft/"
    _, doc = get_page(client, href)
    assert release.title in doc.find("main").text


def test_unknown_tag_and_tag_used_only_by_drafts_are_404(client):
    make_release(status=PressRelease.Status.DRAFT, tags=["Verschlusssache"])
    assert client.get("/pressemitteilungen/schlagwort/gibt-es-nicht/").status_code == 404
    assert client.get("/pressemitteilungen/schlagwort/verschlusssache/").status_code == 404


# --- Query counts -------------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def make_release_with(blocks, tags, **kwargs):
    release = make_release(tags=[f"Schlagwort {i}" for i in range(tags)], image=make_image(), **kwargs)
    person = make_person(office={"role": "Bürgermeisterin", "organisation": "Stadt"})
    for i in range(blocks):
        [add_text, lambda r: add_quote(r, person), lambda r: add_image(r, make_image()), add_background][
            i % 4
        ](release)
    return release


def test_detail_page_queries_do_not_grow_with_blocks_and_tags(client, django_assert_max_num_queries):
    small = make_release_with(blocks=2, tags=1)
    large = make_release_with(blocks=40, tags=15)

    small_count = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(small_count):
        client.get(large.get_absolute_url())
    # 8, plus related releases (shared tags or partnerships) and their tags.
    with django_assert_max_num_queries(10):
        client.get(large.get_absolute_url())


@pytest.mark.parametrize("url", ["/", "/pressemitteilungen/", "/pressemitteilungen/schlagwort/gemeinsam/"])
def test_list_page_queries_do_not_grow_with_releases(client, url, django_assert_max_num_queries):
    make_release_with(blocks=0, tags=2, title="Erste").tags.add("Gemeinsam")
    few = count_queries(client, url)
    for _ in range(25):
        make_release_with(blocks=0, tags=3).tags.add("Gemeinsam")
    with django_assert_max_num_queries(few):
        client.get(url)


# --- Error pages --------------------------------------------------------------------------------------------


def test_500_page_renders_without_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    doc = parse(html)
    assert doc.find("html").attrs["lang"] == "de"
    assert doc.find("h1").text == "Technischer Fehler"
    assert "Landeshauptstadt Düsseldorf" in doc.find("title").text


def test_400_page_renders_without_request(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("400.html")
    assert parse(html).find("h1").text == "Ungültige Anfrage"


def test_base_layout_has_skip_link_landmarks_and_stylesheets(client):
    _, doc = get_page(client, "/")
    skip = doc.find("a", class_="skip-link")
    assert skip.attrs["href"] == "#inhalt"
    assert doc.find("main").attrs["id"] == "inhalt"
    assert doc.find("header", class_="site-header").find("nav") is not None
    assert "Landeshauptstadt Düsseldorf" in doc.find("header").text
    assert doc.find("footer") is not None
    stylesheets = {
        link.attrs["href"]: link.attrs.get("media") for link in doc.find_all("link", rel="stylesheet")
    }
    assert stylesheets == {
        "/static/vendor/kern/fonts/fira-sans.css": None,
        "/static/vendor/kern/kern.min.css": None,
        "/static/css/site.css": None,
        "/static/css/print.css": "print",
    }
