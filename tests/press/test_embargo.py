"""Time: a scheduled release appears on no public surface one second before its time and on every one
one second after, also across the changes to and from summer time in 2026; and embargo preview
links (signed, expiring, revocable) show it before that to those who got one."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from press import previews, workflow
from press.models import AuditEntry, PressRelease, PreviewLink
from tests.factories import add_text, make_contact, make_partnership, make_release, make_user
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
Status = PressRelease.Status
SECOND = timedelta(seconds=1)


@contextmanager
def clock_at(moment):
    """The server's clock at ``moment``: ``published()`` asks ``timezone.now()`` when a page is made."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


# --- every public surface ----------------------------------------------------------------------------


def surfaces(release, partnership):
    local = timezone.localtime(release.published_at)
    return {
        "detail": release.get_absolute_url(),
        "home": reverse("press:home"),
        "list": reverse("press:list"),
        "year": reverse("press:year", args=[local.year]),
        "month": reverse("press:month", args=[local.year, local.month]),
        "tag": reverse("press:tag", args=["zeitgenau"]),
        "atom": reverse("press:feed_atom"),
        "rss": reverse("press:feed_rss"),
        "tag atom": reverse("press:tag_feed_atom", args=["zeitgenau"]),
        "tag rss": reverse("press:tag_feed_rss", args=["zeitgenau"]),
        "sitemap": reverse("press:sitemap"),
        "partnership": partnership.get_absolute_url(),
        "partnership feed": reverse("press:partnership_feed_atom", args=[partnership.slug]),
        "search": reverse("press:search") + "?q=Glockenspiel",
    }


def shows(client, url, release):
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    body = response.content.decode()
    return response.status_code == 200 and (release.slug in body or release.title in body)


MOMENTS = {
    "an ordinary morning": datetime(2026, 5, 4, 10, 0, tzinfo=BERLIN),
    "first minute of summer time (02:00-03:00 missing)": datetime(2026, 3, 29, 3, 0, tzinfo=BERLIN),
    "just before the spring gap": datetime(2026, 3, 29, 1, 59, 59, tzinfo=BERLIN),
    "first 02:30 of 25 October (summer time)": datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN),
    "second 02:30 of 25 October (winter time)": datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN),
    "New Year in Berlin, still 2026 in UTC": datetime(2027, 1, 1, 0, 0, 0, tzinfo=BERLIN),
}


@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_scheduled_release_appears_on_every_surface_exactly_on_time(
    client, moment, django_capture_on_commit_callbacks
):
    # Arithmetic in UTC: in Python, aware datetimes in Europe/Berlin add and subtract wall-clock time,
    # and 03:00 minus one second there would be 02:59:59, a time that does not exist.
    moment = moment.astimezone(UTC)
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written on commit
        partnership = make_partnership(partner_city="Glockenstadt")
        release = make_release(
            title="Glockenspiel am Rathaus",
            lead="Ein Glockenspiel erklingt.",
            published_at=moment,
            tags=["Zeitgenau"],
            partnerships=[partnership],
            contact=make_contact(),
        )
        add_text(release, "<p>Glockenspiel täglich um zwölf.</p>")
    urls = surfaces(release, partnership)

    with clock_at(moment - SECOND):
        early = {name: shows(client, url, release) for name, url in urls.items()}
    with clock_at(moment):
        on_time = shows(client, urls["detail"], release)
    with clock_at(moment + SECOND):
        late = {name: shows(client, url, release) for name, url in urls.items()}

    assert early == dict.fromkeys(urls, False)
    assert on_time
    assert late == dict.fromkeys(urls, True)


def test_second_half_of_the_doubled_hour_is_not_shown_in_the_first(client):
    """02:30 winter time (01:30 UTC) must not appear at 02:30 summer time, an hour earlier."""
    moment = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN)
    release = make_release(title="Zweimal halb drei", published_at=moment)
    release.refresh_from_db()  # (Python never calls a time in the doubled hour equal to one in UTC)
    assert release.published_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    first_half_thirty = datetime(2026, 10, 25, 0, 30, 1, tzinfo=UTC)

    with clock_at(first_half_thirty):
        assert client.get(release.get_absolute_url()).status_code == 404
        assert not PressRelease.objects.published().exists()
    assert PressRelease.objects.published(now=moment.astimezone(UTC) + SECOND).get() == release


def test_published_is_the_one_rule(client):
    moment = datetime(2026, 3, 29, 3, 0, tzinfo=BERLIN).astimezone(UTC)
    release = make_release(published_at=moment)
    assert not PressRelease.objects.published(now=moment - SECOND).exists()
    assert PressRelease.objects.published(now=moment).get() == release
    assert PressRelease.objects.scheduled(now=moment - SECOND).get() == release
    assert not PressRelease.objects.scheduled(now=moment).exists()


# --- embargo links ---------------------------------------------------------------------------------------


@pytest.fixture
def speaker():
    return make_user("sprecherin", "Pressesprecher/in")


@pytest.fixture
def embargoed(speaker):
    """Approved and scheduled for tomorrow 09:00."""
    editor, other = make_user("redakteurin", "Redaktion"), make_user("sprecher", "Pressesprecher/in")
    tomorrow = timezone.localtime() + timedelta(days=1)
    release = make_release(
        title="Neues Hallenbad",
        lead="Das Hallenbad öffnet.",
        status=Status.DRAFT,
        contact=make_contact(),
        published_at=tomorrow.replace(hour=9, minute=0, second=0, microsecond=0),
    )
    add_text(release, "<p>Vertraulicher Text bis zur Sperrfrist.</p>")
    workflow.transition(release, "submit", editor)
    workflow.transition(release, "approve", speaker)
    workflow.transition(release, "publish", other)
    release.refresh_from_db()
    assert release.state == PressRelease.State.SCHEDULED
    return release


def test_valid_link_shows_the_release_stamped_with_its_embargo(client, speaker, embargoed):
    link = previews.create(embargoed, speaker, recipient="dpa Landesdienst NRW")
    url = previews.path_for(link)

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    local = timezone.localtime(embargoed.published_at)
    assert f"Sperrfrist bis {local.day}. " in html
    assert f"{local:%H:%M} Uhr" in html
    assert "Vertraulicher Text bis zur Sperrfrist." in html
    assert '<meta name="robots" content="noindex">' in html
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    link.refresh_from_db()
    assert link.use_count == 1
    assert link.last_used_at is not None
    assert client.get(embargoed.get_absolute_url()).status_code == 404  # still not public


def test_expired_link_shows_nothing(client, speaker, embargoed):
    link = previews.create(
        embargoed, speaker, recipient="WDR", expires_at=timezone.now() + timedelta(hours=1)
    )
    url = previews.path_for(link)
    with clock_at(timezone.now() + timedelta(hours=2)):
        response = client.get(url)
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    assert "Vertraulicher Text" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_revoked_link_shows_nothing(client, speaker, embargoed):
    link = previews.create(embargoed, speaker, recipient="Rheinische Post")
    url = previews.path_for(link)
    assert client.get(url).status_code == 200
    previews.revoke(link, speaker)

    response = client.get(url)

    assert response.status_code == 410
    assert "widerrufen" in response.content.decode()
    assert "Neues Hallenbad" not in response.content.decode()
    assert AuditEntry.objects.filter(release=embargoed, action="preview_revoked", user=speaker).exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.Signer(salt=previews.SALT).sign_object({"l": 1, "k": "geraten"}),
        lambda token: signing.Signer(salt="anderer-zweck").sign_object({"l": 1, "k": "x"}),
        lambda token: signing.Signer(salt=previews.SALT, key="anderer-schluessel").sign_object(
            {"l": 1, "k": "x"}
        ),
        lambda token: "kein-token",
    ],
    ids=["altered signature", "guessed key", "other salt", "other secret", "garbage"],
)
def test_tampered_link_shows_nothing(client, speaker, embargoed, tamper):
    link = previews.create(embargoed, speaker, recipient="dpa")
    token = previews.token_for(link)

    response = client.get(reverse("press:preview", args=[tamper(token)]))

    assert response.status_code == 404
    assert "Neues Hallenbad" not in response.content.decode()


def test_link_of_a_deleted_and_recreated_row_does_not_open_the_new_one(client, speaker, embargoed):
    link = previews.create(embargoed, speaker, recipient="dpa")
    token = previews.token_for(link)
    pk = link.pk
    link.delete()
    PreviewLink.objects.create(
        pk=pk,
        release=embargoed,
        recipient="jemand anders",
        key="neu",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert client.get(reverse("press:preview", args=[token])).status_code == 404


def test_link_leads_to_the_public_page_once_the_embargo_ends(client, speaker, embargoed):
    url = previews.path_for(previews.create(embargoed, speaker, recipient="dpa"))
    with clock_at(embargoed.published_at + SECOND):
        response = client.get(url)
    assert response.status_code == 302
    assert response.url == embargoed.get_absolute_url()


def test_link_shows_nothing_while_the_release_is_back_in_review(client, speaker, embargoed):
    url = previews.path_for(previews.create(embargoed, speaker, recipient="dpa"))
    add_text(embargoed, "<p>Ungeprüfter Nachtrag.</p>")
    editor = embargoed.submitted_by  # someone other than the approver: the approval lapses
    workflow.content_saved(embargoed, editor, was_live=False, old_published_at=embargoed.published_at)
    assert embargoed.status == Status.IN_REVIEW

    response = client.get(url)

    assert response.status_code == 404
    assert "Ungeprüfter Nachtrag" not in response.content.decode()


def test_embargo_links_only_for_approved_releases_but_sign_off_for_drafts(client, speaker):
    draft = make_release(title="Entwurf fürs Büro des OB", status=Status.DRAFT)
    with pytest.raises(workflow.WorkflowError, match="freigegeben"):
        previews.create(draft, speaker, recipient="dpa")

    link = previews.create(
        draft, speaker, recipient="Büro des Oberbürgermeisters", purpose=PreviewLink.Purpose.SIGNOFF
    )
    html = client.get(previews.path_for(link)).content.decode()
    assert "Entwurf zur Abstimmung – nicht zur Veröffentlichung" in html
    assert "Entwurf fürs Büro des OB" in html


def test_links_are_made_listed_and_revoked_in_the_admin(client, speaker, embargoed):
    url = reverse("admin:press_pressrelease_change", args=[embargoed.pk])
    client.force_login(speaker)
    data = form_data(client.get(url))
    until = timezone.localtime(embargoed.published_at + timedelta(days=1))
    data.update(
        {
            "preview_links-TOTAL_FORMS": "1",
            "preview_links-0-purpose": "embargo",
            "preview_links-0-recipient": "KNA Redaktion Düsseldorf",
            "preview_links-0-expires_at_0": until.strftime("%d.%m.%Y"),
            "preview_links-0-expires_at_1": until.strftime("%H:%M:%S"),
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    link = embargoed.preview_links.get()
    assert (link.recipient, link.created_by, link.purpose) == ("KNA Redaktion Düsseldorf", speaker, "embargo")
    page = client.get(url)
    html = page.content.decode()
    assert "KNA Redaktion Düsseldorf" in html
    assert previews.path_for(link) in html
    embargoed.refresh_from_db()
    assert embargoed.status == Status.PUBLISHED  # a link is no change of content

    data = form_data(page)
    data["preview_links-0-revoke"] = "on"
    assert client.post(url, data).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(previews.path_for(link)).status_code == 410


def test_editors_do_not_see_or_make_links(client, embargoed):
    editor = make_user("redakteur2", "Redaktion")
    client.force_login(editor)
    page = client.get(reverse("admin:press_pressrelease_change", args=[embargoed.pk]))
    assert page.status_code == 200
    assert "preview_links-TOTAL_FORMS" not in page.content.decode()
