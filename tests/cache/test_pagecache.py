"""The page cache: public pages are kept and answered without the database; each event of the write
path (publish, edit, withdraw, correction) and each change of a library object shown purges exactly
the pages that show it; a scheduled release appears at its time with no write; staff, the admin,
previews, forms with a CSRF token and POSTs are never kept. Over locmem and a real Redis."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.library import pagecache
from press import workflow
from press.models import Correction, PressRelease
from tests.factories import (
    add_quote,
    add_text,
    make_contact,
    make_image,
    make_partnership,
    make_person,
    make_release,
)

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
Status = PressRelease.Status


def get(client, url, **headers):
    return client.get(url, headers=headers)


def cached(client, url):
    """GET ``url`` twice; the second answer (which must come from the cache)."""
    first = get(client, url)
    assert first.status_code == 200, url
    second = get(client, url)
    assert second["X-Cache"] == "HIT", url
    return second


def approved(people, **kwargs):
    release = make_release(status=Status.DRAFT, contact=make_contact(), **kwargs)
    add_text(release)
    workflow.transition(release, "submit", people["editor"])
    workflow.transition(release, "approve", people["speaker"])
    return release


# --- kept and served -----------------------------------------------------------------------------------


def test_a_cached_page_is_answered_without_a_query(page_cache, visitor, django_assert_num_queries):
    release = make_release(title="Stadtfest im Hofgarten")
    assert get(visitor, release.get_absolute_url())["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        response = get(visitor, release.get_absolute_url())
    assert response["X-Cache"] == "HIT"
    assert "Stadtfest im Hofgarten" in response.content.decode()


def test_headers_for_caches_in_front_and_conditional_requests(page_cache, visitor):
    release = make_release(tags=["Kultur"])
    response = cached(visitor, release.get_absolute_url())
    control = response["Cache-Control"]
    for part in ("public", "s-maxage=", "stale-while-revalidate=60", "stale-if-error=86400"):
        assert part in control
    keys = response["Surrogate-Key"].split()
    assert f"press.pressrelease:{release.pk}" in keys
    assert response["Cache-Tag"].split(",") == keys
    assert response["Last-Modified"]
    etag = response["ETag"]
    not_modified = get(visitor, release.get_absolute_url(), if_none_match=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert get(visitor, release.get_absolute_url(), if_none_match='"other"').status_code == 200


def test_every_public_page_and_feed_is_kept(page_cache, visitor):
    partnership = make_partnership()
    release = make_release(tags=["Kultur"], partnerships=[partnership])
    local = timezone.localtime(release.published_at)
    for url in (
        "/",
        reverse("press:list"),
        reverse("press:year", args=[local.year]),
        reverse("press:month", args=[local.year, local.month]),
        reverse("press:tag", args=["kultur"]),
        reverse("press:feed_atom"),
        reverse("press:feed_rss"),
        reverse("press:tag_feed_atom", args=["kultur"]),
        reverse("press:sitemap"),
        reverse("press:search") + "?q=Pressemitteilung",
        reverse("press:credits"),
        reverse("partnerships:list"),
        partnership.get_absolute_url(),
        release.get_absolute_url(),
    ):
        cached(visitor, url)


def test_staff_admin_previews_forms_and_posts_are_never_kept(page_cache, client, visitor, people):
    release = approved(people, published_at=timezone.now() + HOUR)
    client.force_login(people["speaker"])
    # A logged-in editor sees the draft: never stored, never answered from the cache.
    for _ in range(2):
        response = client.get(release.get_absolute_url())
        assert response.status_code == 200
        assert "X-Cache" not in response
    assert get(visitor, release.get_absolute_url()).status_code == 404
    assert "X-Cache" not in client.get(reverse("admin:index"))
    # The accessibility statement's feedback form carries a CSRF token of one visitor's own.
    url = reverse("cityhall:accessibility")
    first, second = get(visitor, url), get(visitor, url)
    assert "X-Cache" not in second or second["X-Cache"] == "MISS"
    other = get(type(visitor)(), url)
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.content.decode().split(token)[1][:20] != other.content.decode().split(token)[1][:20]
    assert "X-Cache" not in visitor.post(reverse("press:list"))


def test_a_page_begun_before_a_purge_is_not_kept(page_cache, visitor):
    """A request that read the old data before a write committed stores a page that is dead on arrival."""
    release = make_release(title="Alt")
    url = release.get_absolute_url()
    real_store = pagecache.store

    def purge_while_rendering(key, request, response, recorded, started):
        pagecache.purge(pagecache.model_key(release))
        return real_store(key, request, response, recorded, started)

    with mock.patch.object(pagecache, "store", purge_while_rendering):
        assert get(visitor, url)["X-Cache"] == "MISS"
    assert get(visitor, url)["X-Cache"] == "MISS"
    assert get(visitor, url)["X-Cache"] == "HIT"


# --- purged by the write path ----------------------------------------------------------------------------


def test_publishing_purges_the_lists_and_related_pages_but_not_unrelated_pages(
    page_cache, visitor, people, django_capture_on_commit_callbacks
):
    partnership = make_partnership()
    related = make_release(title="Altes Kulturfest", tags=["Kultur"])
    unrelated = make_release(title="Straßenbau", tags=["Verkehr"])
    urls = {
        "home": "/",
        "list": reverse("press:list"),
        "feed": reverse("press:feed_atom"),
        "sitemap": reverse("press:sitemap"),
        "partnership": partnership.get_absolute_url(),
        "related": related.get_absolute_url(),
        "unrelated": unrelated.get_absolute_url(),
    }
    for url in urls.values():
        cached(visitor, url)

    release = approved(people, title="Neues Kulturfest", tags=["Kultur"], partnerships=[partnership])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(release, "publish", people["speaker2"])

    for name in ("home", "list", "feed", "partnership", "related"):
        response = get(visitor, urls[name])
        assert response["X-Cache"] == "MISS", name
        assert "Neues Kulturfest" in response.content.decode() or name == "sitemap", name
    assert release.slug in get(visitor, urls["sitemap"]).content.decode()
    assert get(visitor, urls["unrelated"])["X-Cache"] == "HIT"


def test_an_edit_purges_the_pages_that_show_the_release(
    page_cache, client, visitor, people, django_capture_on_commit_callbacks
):
    from tests.press.formdata import form_data

    release = make_release(contact=make_contact(), title="Live", lead="Alter Vorspann.")
    other = make_release(title="Andere")
    cached(visitor, release.get_absolute_url())
    cached(visitor, reverse("press:list"))
    cached(visitor, other.get_absolute_url())

    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(people["speaker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**form_data(client.get(url)), "lead": "Neuer Vorspann."})
    assert response.status_code == 302

    assert "Neuer Vorspann." in get(visitor, release.get_absolute_url()).content.decode()
    assert "Neuer Vorspann." in get(visitor, reverse("press:list")).content.decode()
    assert get(visitor, other.get_absolute_url())["X-Cache"] == "HIT"


def test_withdrawing_purges_every_page_that_showed_it(
    page_cache, visitor, people, django_capture_on_commit_callbacks
):
    release = make_release(title="Zurückzuziehen", tags=["Kultur"])
    urls = [release.get_absolute_url(), reverse("press:list"), reverse("press:feed_atom"), "/"]
    urls.append(reverse("press:tag", args=["kultur"]))
    for url in urls:
        cached(visitor, url)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(release, "withdraw", people["speaker"], note="Falsche Angaben.")
    assert get(visitor, urls[0]).status_code == 410
    for url in urls[1:3]:
        assert "Zurückzuziehen" not in get(visitor, url).content.decode(), url
    assert get(visitor, urls[4]).status_code == 404  # the tag has no public release left


def test_a_correction_purges_the_release_page(
    page_cache, visitor, people, django_capture_on_commit_callbacks
):
    release = make_release(contact=make_contact())
    cached(visitor, release.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(
            Correction(release=release, noted_at=timezone.now(), text="Das Datum war falsch."),
            people["speaker"],
        )
    response = get(visitor, release.get_absolute_url())
    assert response["X-Cache"] == "MISS"
    assert "Das Datum war falsch." in response.content.decode()


def test_a_scheduled_release_appears_at_its_time_with_no_write(
    page_cache, visitor, people, django_capture_on_commit_callbacks
):
    cached(visitor, reverse("press:list"))
    moment = timezone.now() + HOUR
    release = approved(people, title="Sperrfrist Glockenspiel", published_at=moment)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(release, "publish", people["speaker2"])
    page = get(visitor, reverse("press:list"))
    assert "Sperrfrist Glockenspiel" not in page.content.decode()
    assert get(visitor, reverse("press:list"))["X-Cache"] == "HIT"
    # Fresh no longer than until the release's time, for caches in front too.
    s_maxage = int(page["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert s_maxage <= 3600

    with mock.patch("django.utils.timezone.now", return_value=moment + timedelta(seconds=1)):
        response = get(visitor, reverse("press:list"))
        assert response["X-Cache"] == "MISS"
        assert "Sperrfrist Glockenspiel" in response.content.decode()
        assert get(visitor, release.get_absolute_url()).status_code == 200


def test_library_changes_purge_the_pages_that_show_them(
    page_cache, visitor, django_capture_on_commit_callbacks
):
    image = make_image(caption="Alte Bildunterschrift", credit="Foto: Alt")
    speaker = make_person(name="Erika Musterfrau")
    release = make_release(image=image)
    add_quote(release, speaker)
    cached(visitor, release.get_absolute_url())

    assert "Alte Bildunterschrift" in get(visitor, release.get_absolute_url()).content.decode()
    image.caption = "Neue Bildunterschrift"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    page = get(visitor, release.get_absolute_url()).content.decode()
    assert "Neue Bildunterschrift" in page

    cached(visitor, release.get_absolute_url())
    speaker.name = "Erika Beispielfrau"
    with django_capture_on_commit_callbacks(execute=True):
        speaker.save()
    assert "Beispielfrau" in get(visitor, release.get_absolute_url()).content.decode()


def test_a_draft_saved_purges_nothing(page_cache, visitor):
    release = make_release(title="Öffentlich")
    cached(visitor, reverse("press:list"))
    draft = make_release(status=Status.DRAFT, title="Entwurf")
    draft.title = "Entwurf 2"
    draft.save()
    assert get(visitor, reverse("press:list"))["X-Cache"] == "HIT"
    assert release.pk


def test_purges_are_sent_to_a_proxy_by_the_task_worker(page_cache, settings):
    from django_tasks_db.models import DBTaskResult

    settings.PAGECACHE_PURGE_URL = "http://127.0.0.1:9/purge"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pagecache.purge("press.pressrelease:1", "press:releases")
    task = DBTaskResult.objects.get()
    assert task.task_path == "cityhall.library.cache_tasks.purge_proxy"
    assert task.args_kwargs["args"] == [["press.pressrelease:1", "press:releases"]]


def test_a_pin_on_the_home_page_ends_on_time_and_a_new_pin_purges(
    page_cache, visitor, django_capture_on_commit_callbacks
):
    from press.models import FeaturedRelease

    release = make_release(title="Baustelle Rheinufer")
    until = timezone.now() + HOUR
    with django_capture_on_commit_callbacks(execute=True):
        FeaturedRelease.objects.create(release=release, until=until, position=1)
    assert "Im Fokus" in get(visitor, "/").content.decode()
    assert get(visitor, "/")["X-Cache"] == "HIT"
    with mock.patch("django.utils.timezone.now", return_value=until + timedelta(seconds=1)):
        response = get(visitor, "/")
    assert response["X-Cache"] == "MISS"
    assert "Im Fokus" not in response.content.decode()


def test_an_appointment_saved_purges_the_appointment_pages(
    page_cache, visitor, django_capture_on_commit_callbacks
):
    from press.models import Appointment

    cached(visitor, reverse("press:appointments"))
    with django_capture_on_commit_callbacks(execute=True):
        Appointment.objects.create(
            title="Fototermin am Rheinufer",
            starts_at=timezone.now() + HOUR,
            place="Rheinufer",
            published=True,
        )
    assert "Fototermin am Rheinufer" in get(visitor, reverse("press:appointments")).content.decode()
