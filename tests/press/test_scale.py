"""Less work per request at a city's scale: the kept body (rendered once, emptied by every write that
changes it), related releases from a bounded set, the archive's month table and its paging.
The figures themselves are in bench/scale.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press import workflow
from press.archive_index import MonthIndexPaginator
from press.models import ArchiveMonth, Correction, PressRelease, RenderedBody, TextBlock
from tests.factories import (
    add_background,
    add_image,
    add_quote,
    add_text,
    make_image,
    make_person,
    make_release,
    make_user,
)
from tests.htmltree import parse
from tests.press.seed import BERLIN

pytestmark = pytest.mark.django_db


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def release_with(blocks, tags, **kwargs):
    release = make_release(tags=[f"Schlagwort {i}" for i in range(tags)], image=make_image(), **kwargs)
    person = make_person(office={"role": "Bürgermeisterin", "organisation": "Stadt"})
    adders = [add_text, lambda r: add_quote(r, person), lambda r: add_image(r, make_image()), add_background]
    for i in range(blocks):
        adders[i % 4](release)
    return release


def body_text(client, release):
    return parse(client.get(release.get_absolute_url()).content).find("article").text


# --- The release page: a constant number of queries --------------------------------------------------------


def test_detail_page_query_counts_are_pinned(client):
    make_release(tags=["Schlagwort 0"], title="Verwandt")  # a related release for both
    small = release_with(blocks=2, tags=1)
    large = release_with(blocks=40, tags=15)
    for release in (small, large):
        client.get(release.get_absolute_url())  # the first view keeps the body
        assert RenderedBody.objects.get(release=release).parts is not None
    # release (with its kept body, lead image, contact), tags, partnerships, corrections,
    # related releases and their tags; the large one also its image blocks.
    assert queries_of(client, small.get_absolute_url()) == 6
    assert queries_of(client, large.get_absolute_url()) == 7


def test_the_write_path_keeps_the_body_when_it_saves(people):
    release = release_with(blocks=4, tags=1)
    RenderedBody.objects.filter(release=release).update(parts=None)
    workflow.save(release, people["redaktion"], write=release.save, expected_version=release.version)
    parts = RenderedBody.objects.get(release=release).parts
    assert [part["kind"] for part in parts] == ["textblock", "quoteblock", "imageblock", "backgroundblock"]
    assert "html" not in parts[2]  # image blocks are rendered per request


@pytest.fixture
def people():
    return {"redaktion": make_user("redakteurin", "Redaktion")}


# --- A kept body is never stale -------------------------------------------------------------------------------


@pytest.fixture
def kept(client):
    person = make_person(name="Anna Muster")
    image = make_image(caption="Alte Bildunterschrift", credit="© Alt")
    release = make_release(title="Gekeimt")
    add_text(release, "<p>Alter Absatz</p>")
    quote = add_quote(release, person, text="Ein Zitat.")
    add_image(release, image)
    client.get(release.get_absolute_url())
    assert RenderedBody.objects.get(release=release).parts is not None
    return release, quote, person, image


def test_editing_a_block_empties_the_kept_body(client, kept):
    release, *_ = kept
    block = TextBlock.objects.get(parent=release)
    block.html = "<p>Neuer Absatz</p>"
    block.save()
    assert "Neuer Absatz" in body_text(client, release)
    assert "Neuer Absatz" in body_text(client, release)  # and kept so


def test_adding_and_deleting_blocks_empties_the_kept_body(client, kept):
    release, quote, *_ = kept
    add_background(release, title="Neuer Hintergrund")
    assert "Neuer Hintergrund" in body_text(client, release)
    quote.delete()
    assert "Ein Zitat." not in body_text(client, release)


def test_renaming_a_speaker_empties_the_kept_body(client, kept):
    release, _, person, _ = kept
    person.name = "Anna Beispiel"
    person.save()
    assert "Anna Beispiel" in body_text(client, release)


def test_image_caption_credit_and_alt_show_at_once(client, kept):
    release, _, _, image = kept
    image.caption, image.credit, image.alt_text = "Neue Bildunterschrift", "© Neu", "Neuer Alternativtext"
    image.save()
    response = client.get(release.get_absolute_url())
    html = response.content.decode()
    assert "Neue Bildunterschrift" in html and "© Neu" in html and 'alt="Neuer Alternativtext"' in html


def test_a_correction_shows_at_once(client, kept):
    release, *_ = kept
    workflow.add_correction(Correction(release=release, text="Das Datum war falsch."), make_user("k"))
    assert "Das Datum war falsch." in body_text(client, release)


def test_a_page_does_not_keep_what_it_read_before_a_change(kept):
    """The revision guard: a rendering of blocks read before an edit is not kept after it."""
    from press.rendering import load_blocks, store_body

    release, *_ = kept
    RenderedBody.objects.filter(release=release).update(parts=None)
    read = PressRelease.objects.select_related("rendered_body").get(pk=release.pk)
    blocks = load_blocks(read)
    block = TextBlock.objects.get(parent=release)
    block.html = "<p>Inzwischen geändert</p>"
    block.save()  # a colleague's edit between reading and keeping
    store_body(read, blocks, revision=read.rendered_body.revision)
    assert RenderedBody.objects.get(release=release).parts is None


# --- Related releases: a bounded set of candidates ---------------------------------------------------------------


def test_related_releases_come_from_the_newest_candidates(client, monkeypatch):
    monkeypatch.setattr("press.models.releases.RELATED_CANDIDATES", 2)
    now = timezone.now()
    oldest = make_release(
        title="Älteste", tags=["Kultur", "Sport"], published_at=now - datetime.timedelta(days=9)
    )
    make_release(title="Mittlere", tags=["Kultur"], published_at=now - datetime.timedelta(days=5))
    make_release(title="Neueste", tags=["Kultur"], published_at=now - datetime.timedelta(days=2))
    release = make_release(title="Diese", tags=["Kultur", "Sport"])
    shown = parse(client.get(release.get_absolute_url()).content).find("section", class_="related-releases")
    # The two newest sharing a tag are the candidates; "Älteste" shares more but is beyond them.
    assert [a.text for a in shown.find_all("a")] == ["Neueste", "Mittlere"]
    monkeypatch.setattr("press.models.releases.RELATED_CANDIDATES", 3)
    shown = parse(client.get(release.get_absolute_url()).content).find("section", class_="related-releases")
    assert [a.text for a in shown.find_all("a")] == [oldest.title, "Neueste", "Mittlere"]


# --- The archive's month table and its paging --------------------------------------------------------------------


def at(year, month, day=15):
    return datetime.datetime(year, month, day, 12, tzinfo=BERLIN)


def test_month_table_follows_publishing_moving_and_withdrawing():
    release = make_release(published_at=at(2023, 5))
    assert [m.month for m in ArchiveMonth.objects.all()] == [datetime.date(2023, 5, 1)]
    release.published_at = at(2024, 2)
    release.save()
    assert [m.month for m in ArchiveMonth.objects.all()] == [datetime.date(2024, 2, 1)]
    make_release(published_at=at(2024, 2, 20))
    assert ArchiveMonth.objects.get().count == 2
    release.status = PressRelease.Status.WITHDRAWN
    release.save()
    assert ArchiveMonth.objects.get().count == 1
    PressRelease.objects.get(published_at=at(2024, 2, 20)).delete()
    assert not ArchiveMonth.objects.exists()


def test_a_scheduled_month_appears_when_its_time_comes():
    make_release(published_at=at(2024, 2))
    make_release(published_at=timezone.now() + datetime.timedelta(days=40))
    assert [day.year for day in ArchiveMonth.objects.years(now=at(2024, 3))] == [2024]
    future = timezone.now() + datetime.timedelta(days=41)
    assert len(ArchiveMonth.objects.years(now=future)) == (1 if future.year == 2024 else 2)


def test_month_index_pages_match_offset_pages():
    for month in (1, 2, 3):
        for day in range(1, 8 + month):
            make_release(title=f"{month}-{day}", published_at=at(2024, month, day))
    make_release(title="geplant", published_at=timezone.now() + datetime.timedelta(days=3))
    published = PressRelease.objects.published().for_listing()
    paginator = MonthIndexPaginator(published, 4)
    expected = list(published)
    assert paginator.count == len(expected) == 27
    pages = [list(paginator.page(n).object_list) for n in paginator.page_range]
    assert [r.pk for page in pages for r in page] == [r.pk for r in expected]


def test_list_pages_cost_the_same_far_back(client):
    for month in range(1, 13):
        for day in range(1, 6):
            make_release(published_at=at(2023, month, day))
    first = queries_of(client, "/pressemitteilungen/")
    assert queries_of(client, "/pressemitteilungen/?page=3") == first
    doc = parse(client.get("/pressemitteilungen/?page=3").content)
    assert len(doc.find_all("h2", class_="card__title")) == 20
