"""Search: what a citizen finds, what never leaks, and bad input that gets a 400, never a 500."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from press.models import PressRelease, SearchEntry
from press.search import Terms, highlight, rebuild_all, search_releases
from tests.factories import (
    add_background,
    add_image,
    add_quote,
    add_text,
    make_image,
    make_partnership,
    make_person,
    make_release,
)
from tests.htmltree import parse
from tests.press.seed import hidden_releases, make_seed_release

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL full-text search"
)


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Runs the search index updates that wait for the end of the transaction (the test never commits)."""

    def run(factory, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return factory(*args, **kwargs)

    return run


def search(client, status=200, **params):
    response = client.get("/suche/", params)
    assert response.status_code == status, (params, response.status_code)
    return response, parse(response.content)


def titles(doc):
    return [h.text for h in doc.find_all(class_="card__title")]


# --- What is found ------------------------------------------------------------------------------------------


def test_seed_release_is_found_by_words_in_every_part(client, indexed):
    release = indexed(make_seed_release)
    for query in [
        "Virtuelles Treffen",  # title
        "Weiterentwicklung",  # lead
        "pandemiebedingter",  # text block
        "Kulturhauptstadt",  # quote
        "Sven Schulze",  # speaker of a quote
        "Rathaus Chemnitz",  # caption of an image block
        "besteht seit 1988",  # background box
        "Internationales",  # tag
    ]:
        _, doc = search(client, q=query)
        assert titles(doc) == [release.title], query


def test_search_entry_follows_changes_to_blocks_and_assignment(client, indexed):
    release = indexed(make_release, title="Neues aus dem Rathaus")
    block = indexed(add_text, release, "<p>Der Haushalt wird beraten.</p>")
    assert titles(search(client, q="Haushalt")[1]) == ["Neues aus dem Rathaus"]

    block.html = "<p>Der Sportpark wird eröffnet.</p>"
    indexed(block.save)
    assert titles(search(client, q="Haushalt")[1]) == []
    assert titles(search(client, q="Sportpark")[1]) == ["Neues aus dem Rathaus"]

    indexed(release.partnerships.add, make_partnership(partner_city="Reading", country="GB"))
    indexed(release.tags.add, "Jugend")
    assert titles(search(client, q="Reading Jugend")[1]) == ["Neues aus dem Rathaus"]

    indexed(block.delete)
    assert titles(search(client, q="Sportpark")[1]) == []


def test_one_rebuild_per_transaction_even_with_many_blocks(indexed, django_capture_on_commit_callbacks):
    release = indexed(make_release)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _ in range(5):
            add_text(release, "<p>Absatz</p>")
        release.tags.add("Kultur")
        release.save()
    # Other listeners (the page cache's purge) may add their own callback; the index is rebuilt once.
    rebuilds = [callback for callback in callbacks if type(callback).__name__ == "_Rebuild"]
    assert len(rebuilds) == 1


def test_deleting_a_release_removes_its_entry(indexed):
    release = indexed(make_seed_release)
    assert SearchEntry.objects.filter(release=release).exists()
    indexed(release.delete)
    assert not SearchEntry.objects.exists()


def test_image_caption_change_reaches_the_entry(client, indexed):
    image = make_image(caption="Blick auf den Rheinturm")
    release = indexed(make_release, title="Ausblick")
    indexed(add_image, release, image)
    assert titles(search(client, q="Rheinturm")[1]) == ["Ausblick"]
    image.caption = "Blick auf die Königsallee"
    indexed(image.save)
    assert titles(search(client, q="Königsallee")[1]) == ["Ausblick"]


def test_umlauts_fold_case_both_ways(client, indexed):
    indexed(make_release, title="Neue Öffnungszeiten der Ämter")
    for query in ["ämter", "ÄMTER", "öffnungszeiten", "Ämter"]:
        assert titles(search(client, q=query)[1]) == ["Neue Öffnungszeiten der Ämter"], query


def test_compound_words_are_found_by_their_parts(client, indexed):
    """ "Partnerschaft" finds "Städtepartnerschaft" on every database (trigram word similarity on
    PostgreSQL, substring of the case-folded text elsewhere)."""
    release = indexed(make_release, title="Treffen in Chemnitz")
    indexed(add_background, release, "Hintergrund", "<p>Die Städtepartnerschaft besteht seit 1988.</p>")
    _, doc = search(client, q="Partnerschaft")
    assert titles(doc) == ["Treffen in Chemnitz"]
    snippet = doc.find(class_="card__snippet")
    assert snippet.find("mark").text.casefold() == "partnerschaft"
    assert "Städte partnerschaft besteht" in snippet.text  # "Städte<mark>partnerschaft</mark>" as text


@on_postgresql
def test_german_stemming_finds_inflected_forms(client, indexed):
    indexed(make_release, title="Die Partnerstadt lädt ein")
    indexed(make_release, title="Bürgerinnen und Bürger besuchen Rathäuser")
    assert titles(search(client, q="Partnerstädte")[1]) == ["Die Partnerstadt lädt ein"]
    assert titles(search(client, q="Rathaus Bürger")[1]) == ["Bürgerinnen und Bürger besuchen Rathäuser"]


@on_postgresql
def test_ranking_puts_title_matches_first(client, indexed):
    older_title = indexed(
        make_release, title="Radwege werden breiter", published_at=timezone.now() - timedelta(days=9)
    )
    newer_body = indexed(make_release, title="Haushalt beschlossen")
    indexed(add_text, newer_body, "<p>Auch Radwege sind Thema.</p>")
    assert titles(search(client, q="Radwege")[1]) == [older_title.title, newer_body.title]


def test_every_word_must_match_and_minus_excludes(client, indexed):
    indexed(make_release, title="Kultur in Chemnitz")
    indexed(make_release, title="Kultur in Reading")
    assert titles(search(client, q="Kultur Chemnitz")[1]) == ["Kultur in Chemnitz"]
    assert titles(search(client, q="Kultur -Chemnitz")[1]) == ["Kultur in Reading"]


def test_phrase_in_quotes(client, indexed):
    indexed(make_release, title="Der Rat tagt im großen Saal")
    indexed(make_release, title="Großer Rat im Saal")
    assert titles(search(client, q='"großen Saal"')[1]) == ["Der Rat tagt im großen Saal"]


def test_snippet_marks_matches_and_escapes_the_text(client, indexed):
    release = indexed(make_release, title="Sicher <script>alert(1)</script>", lead="")
    indexed(add_text, release, "<p>Vorher &lt;b&gt;fett&lt;/b&gt; und dann die Brücke.</p>")
    response, doc = search(client, q="Brücke")
    snippet = doc.find(class_="card__snippet")
    assert snippet.find("mark").text == "Brücke"
    assert b"<script>alert(1)" not in response.content
    assert b"<b>fett" not in response.content


def test_partnerships_are_found_too(client, indexed):
    make_partnership(partner_city="Haifa", country="IL", summary="Partnerschaft seit 1988.")
    _, doc = search(client, q="haifa")
    assert [a.text for a in doc.find("ul", class_="search-partnerships").find_all("a")] == [
        "Städtepartnerschaft Haifa"
    ]


# --- Filters --------------------------------------------------------------------------------------------


def test_filters_by_year_tag_and_partnership(client, indexed):
    chemnitz = make_partnership(partner_city="Chemnitz")
    indexed(
        make_release, title="Kultur 2020", published_at=timezone.now().replace(year=2020), tags=["Kultur"]
    )
    indexed(make_release, title="Kultur 2021 Chemnitz", published_at=timezone.now().replace(year=2021),
            tags=["Kultur"], partnerships=[chemnitz])  # fmt: skip
    indexed(
        make_release,
        title="Kultur 2021 Sport",
        published_at=timezone.now().replace(year=2021),
        tags=["Sport"],
    )

    assert titles(search(client, q="Kultur", jahr="2020")[1]) == ["Kultur 2020"]
    assert sorted(titles(search(client, q="Kultur", schlagwort="kultur")[1])) == [
        "Kultur 2020",
        "Kultur 2021 Chemnitz",
    ]
    assert titles(search(client, q="Kultur", partnerschaft="chemnitz")[1]) == ["Kultur 2021 Chemnitz"]
    # Filters alone list the matching releases, newest first.
    assert titles(search(client, jahr="2021")[1]) == ["Kultur 2021 Sport", "Kultur 2021 Chemnitz"]


def test_filter_options_come_from_published_releases_only(client, indexed):
    indexed(make_release, title="Öffentlich", tags=["Sichtbar"])
    hidden_releases()  # tagged "Internationales"
    _, doc = search(client)
    options = [o.text for o in doc.find("select", id="id_schlagwort").find_all("option")]
    assert options == ["alle Schlagwörter", "Sichtbar"]


# --- Nothing leaks -------------------------------------------------------------------------------------------


def test_drafts_and_embargoed_releases_are_never_found(client, indexed):
    indexed(hidden_releases)
    indexed(make_release, title="Öffentlich Geheim nicht")
    response, doc = search(client, q="Geheim")
    assert titles(doc) == ["Öffentlich Geheim nicht"]
    assert b"Entwurf Geheim" not in response.content
    assert b"Sperrfrist Geheim" not in response.content


def test_embargoed_release_is_found_once_its_time_has_come(client, indexed):
    release = indexed(
        make_release, title="Sperrfrist Stadtfest", published_at=timezone.now() + timedelta(hours=1)
    )
    assert titles(search(client, q="Stadtfest")[1]) == []
    PressRelease.objects.filter(pk=release.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert titles(search(client, q="Stadtfest")[1]) == ["Sperrfrist Stadtfest"]


# --- Bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "ä\x0bö\x1f\x7f",
        "'; DROP TABLE press_pressrelease; --",
        "a & b | !c <-> d",
        "(((",
        '"""',
        "-",
        '--- -"" OR AND NOT',
        "*:*",
        "\\",
        "%_%",
        "\ue000\ue001",
        "😀 Ⓐ ﷽",
        "der die das",  # stop words only
        "x" * 200,
        " ".join(["wort"] * 40),
    ],
)
def test_odd_queries_answer_200(client, indexed, query):
    indexed(make_seed_release)
    search(client, q=query)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"q": "\x00"},  # Django's fields refuse NUL
        {"q": "Kultur", "jahr": "abc"},
        {"q": "Kultur", "jahr": "1999"},
        {"q": "Kultur", "jahr": "9" * 30},
        {"q": "Kultur", "schlagwort": "gibt-es-nicht"},
        {"q": "Kultur", "partnerschaft": "\x00"},
    ],
)
def test_input_it_cannot_take_is_a_400_with_a_message(client, indexed, params):
    indexed(make_seed_release)
    _, doc = search(client, status=400, **params)
    assert doc.find(class_="field-error") is not None
    assert doc.find("h1").text == "Suche"


def test_bad_page_numbers_still_answer_200(client, indexed):
    for i in range(3):
        indexed(make_release, title=f"Kultur {i}")
    for page in ["abc", "0", "-1", "99999", "9" * 50]:
        assert client.get("/suche/", {"q": "Kultur", "page": page}).status_code == 200


def test_pagination_keeps_the_query(client, indexed):
    for i in range(21):
        indexed(make_release, title=f"Kultur {i:02d}")
    _, doc = search(client, q="Kultur", schlagwort="")
    href = doc.find("a", rel="next").attrs["href"]
    assert "q=Kultur" in href and "page=2" in href
    _, doc = search(client, q="Kultur", page="2")
    assert len(titles(doc)) == 1


def test_search_page_queries_do_not_grow_with_results(client, indexed, django_assert_max_num_queries):
    for i in range(3):
        indexed(make_release, title=f"Kultur {i}", tags=["Kultur", f"T{i}"])
    client.get("/suche/", {"q": "Kultur"})
    for i in range(20):
        indexed(make_release, title=f"Kultur mehr {i}", tags=["Kultur", f"U{i}"])
    # filter options (years, tags, partnerships), partnerships searched, count, page, tags of the page
    with django_assert_max_num_queries(8):
        client.get("/suche/", {"q": "Kultur"})


# --- Units --------------------------------------------------------------------------------------------------


def test_terms_are_capped_and_cleaned():
    terms = Terms.parse("a\x00b " + " ".join(f"w{i}" for i in range(50)))
    assert terms.include[0] == "ab"
    assert len(terms.include) == 10
    assert "\x00" not in terms.websearch


def test_highlight_escapes_and_marks_inside_compounds():
    html = highlight("Die <b>Städtepartnerschaft</b> & mehr", ["partnerschaft"])
    assert html == "Die &lt;b&gt;Städte<mark>partnerschaft</mark>&lt;/b&gt; &amp; mehr"


def test_rebuild_all_fills_missing_entries():
    release = make_release(title="Ohne Eintrag")  # the on-commit rebuild never runs here
    assert not SearchEntry.objects.filter(release=release).exists()
    rebuild_all()
    assert SearchEntry.objects.get(release=release).text.startswith("Ohne Eintrag")
    assert list(search_releases(Terms.parse("eintrag"))) == [release]


def test_quote_speaker_rename_reaches_the_entry(client, indexed):
    person = make_person(name="Erika Muster")
    release = indexed(make_release, title="Zitat")
    indexed(add_quote, release, person, "Wir bauen.", role="Beigeordnete")
    person.name = "Erika Beispiel"
    indexed(person.save)
    assert titles(search(client, q="Beispiel")[1]) == ["Zitat"]


# --- Text pasted from a word processor ---------------------------------------------------------------------

WORD_TITLE = "Neues Jugend\u00adzentrum\u00a0eröffnet"
WORD_LEAD = "Die Schüler\u200binnen der Realschule\r\nplanen mit."


def test_text_pasted_with_soft_hyphens_and_zero_width_spaces_is_found(client, indexed):
    """Word puts soft hyphens (U+00AD) and zero-width spaces (U+200B) into words; stored, they split the
    word for search on every database. They are removed on save, from plain and rich text."""
    release = indexed(make_release, title=WORD_TITLE, lead=WORD_LEAD)
    indexed(add_text, release, "<p>Im Jugend&shy;zentrum treffen sich Schüler\u200binnen.</p>")
    indexed(add_quote, release, make_person(), text="Das Jugend\u00adzentrum ist\u2060 offen.")
    release.refresh_from_db()
    assert release.title == "Neues Jugendzentrum eröffnet"
    assert release.lead == "Die Schülerinnen der Realschule\nplanen mit."
    entry = SearchEntry.objects.get(release=release)
    assert not {"\u00ad", "\u200b", "\u2060", "\r"} & set(entry.text)
    for query in ["Jugendzentrum", "Schülerinnen", "jugendzentrum schülerinnen", "Jugend\u00adzentrum"]:
        assert titles(search(client, q=query)[1]) == ["Neues Jugendzentrum eröffnet"], query


@on_postgresql
def test_pasted_words_are_found_by_full_text_search_too(indexed):
    release = indexed(make_release, title="Treffen", lead="Die Schüler\u200binnen kommen.")
    found = search_releases(Terms.parse("Schülerin"))  # the stemmer's form, not a substring
    assert [r.pk for r in found] == [release.pk]
    assert "Schülerinnen" in found[0].headline.replace("\ue000", "").replace("\ue001", "")
