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
