"""Release numbers ("PM 123/2026"): a sequence per year, given when a release is published or scheduled,
never given twice, shown on the page and in JSON-LD."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from press import workflow
from press.models import PressRelease, ReleaseNumberCounter
from press.models.numbers import draw_number
from tests.press.test_workflow import bring_to, people, ready_draft  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def publish(release, people):  # noqa: F811
    bring_to(release, "approved", people)
    workflow.transition(release, "publish", people["speaker2"])
    release.refresh_from_db()
    return release


def test_numbers_count_up_per_year_of_publication(people):  # noqa: F811
    now = timezone.now()
    first = publish(ready_draft(title="Erste", published_at=now - timedelta(minutes=5)), people)
    second = publish(ready_draft(title="Zweite", published_at=now - timedelta(minutes=4)), people)
    year = timezone.localtime(now).year
    assert (first.number, first.number_year) == (1, year)
    assert second.number_label == f"PM 2/{year}"
    # Scheduled for next year: that year's sequence.
    later = datetime(year + 1, 1, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    scheduled = publish(ready_draft(title="Neujahr", published_at=later), people)
    assert scheduled.number_label == f"PM 1/{year + 1}"


def test_a_draft_has_no_number_and_a_saved_release_keeps_its_own(people, settings):  # noqa: F811
    draft = ready_draft()
    assert draft.number is None and draft.number_label == ""
    release = publish(ready_draft(published_at=timezone.now() - timedelta(minutes=1)), people)
    number = release.number
    release.title = "Neuer Titel"
    release.save()
    release.refresh_from_db()
    assert release.number == number
    settings.PRESS_RELEASE_NUMBERS = False
    other = publish(ready_draft(published_at=timezone.now() - timedelta(minutes=1)), people)
    assert other.number is None


def test_a_number_is_never_given_twice():
    ReleaseNumberCounter.objects.create(year=2026, last=41)
    assert [draw_number(2026), draw_number(2026), draw_number(2027)] == [42, 43, 1]


def test_page_and_json_ld_show_the_number(client, people):  # noqa: F811
    release = publish(ready_draft(published_at=timezone.now() - timedelta(minutes=1)), people)
    page = client.get(release.get_absolute_url()).content.decode()
    label = release.number_label
    assert f'<span class="release__number">{label}</span>' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    article = (
        data
        if data.get("@type") == "NewsArticle"
        else next(item for item in data["@graph"] if item["@type"] == "NewsArticle")
    )
    assert article["identifier"] == label


def test_the_database_refuses_a_duplicate_number(people):  # noqa: F811
    from django.db import IntegrityError, transaction

    release = publish(ready_draft(published_at=timezone.now() - timedelta(minutes=1)), people)
    other = ready_draft()
    with pytest.raises(IntegrityError), transaction.atomic():
        PressRelease.objects.filter(pk=other.pk).update(
            number=release.number, number_year=release.number_year
        )


@pytest.mark.parametrize("typed", ["PM {n}/{y}", "pm{n}/{y}", "{n} / {y}"])
def test_searching_a_number_leads_to_the_release(client, people, typed):  # noqa: F811
    release = publish(ready_draft(published_at=timezone.now() - timedelta(minutes=1)), people)
    query = typed.format(n=release.number, y=release.number_year)
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 302 and response["Location"] == release.get_absolute_url()


def test_the_number_of_a_scheduled_release_finds_nothing_yet(client, people):  # noqa: F811
    scheduled = publish(ready_draft(published_at=timezone.now() + timedelta(days=1)), people)
    response = client.get("/suche/", {"q": scheduled.number_label})
    assert response.status_code == 200 and scheduled.title not in response.content.decode()


def test_the_feed_entry_carries_the_number(client, people):  # noqa: F811
    import feedparser

    release = publish(ready_draft(published_at=timezone.now() - timedelta(minutes=1)), people)
    feed = feedparser.parse(client.get("/feeds/pressemitteilungen.atom").content)
    entry = next(e for e in feed.entries if e.title == release.title)
    assert f"<p>{release.number_label}</p>" in entry.content[0].value


def test_numbers_travel_in_the_interchange_format_and_are_not_given_again(tmp_path, people):  # noqa: F811
    from django.core.management import call_command

    from tests.press.test_interchange import document, export_to, release, write_content

    path = write_content(tmp_path / "in", document(release(number=57, number_year=2024)))
    call_command("import_content", str(path), verbosity=0)
    imported = PressRelease.objects.get(slug="eine-mitteilung")
    assert imported.number_label == "PM 57/2024"
    assert '"number": 57' in export_to(tmp_path / "out")
    assert draw_number(2024) == 58  # the import moved the counter past it

    clash = write_content(
        tmp_path / "clash", document(release(slug="zweite", title="Zweite", number=57, number_year=2024))
    )
    with pytest.raises(Exception, match="schon vergeben"):
        call_command("import_content", str(clash), verbosity=0)
