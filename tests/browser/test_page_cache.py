"""The page cache in a real browser: a citizen's list page comes from the cache; a spokesperson
publishes an approved release with the change form's button in the admin (never served from the
cache: logged in); the next citizen's visit shows the release at once."""

import tempfile
from pathlib import Path

import pytest

from cityhall.library import pagecache
from press import workflow
from tests.factories import add_text, make_contact, make_release, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Rheinufer wird zum Park"


@pytest.fixture
def page_cache(settings):
    settings.PAGECACHE_ENABLED = True
    pagecache.clear()
    yield
    pagecache.clear()


def citizen_visit(browser, site, screenshot=None):
    """A citizen with a browser of their own (a browser keeps a page itself for max-age, 60 s)."""
    context = browser.new_context(locale="de-DE")
    try:
        citizen = context.new_page()
        response = citizen.goto(site + "/pressemitteilungen/")
        if screenshot:
            citizen.screenshot(path=str(Path(tempfile.gettempdir()) / screenshot))
        return response.headers["x-cache"], citizen.locator("main").inner_text()
    finally:
        context.close()


def test_a_release_published_in_the_admin_is_on_the_cached_list_at_once(page_cache, page, browser, site):
    make_release(title="Ältere Mitteilung")
    editor = make_user("redakteurin", "Redaktion")
    approver = make_user("sprecher", "Pressesprecher/in")
    spokesperson = make_user("sprecherin", "Pressesprecher/in")
    spokesperson.set_password("geheim-123")
    spokesperson.save()
    release = make_release(title=TITLE, status="draft", contact=make_contact())
    add_text(release)
    workflow.transition(release, "submit", editor)
    workflow.transition(release, "approve", approver)

    assert citizen_visit(browser, site)[0] == "MISS"
    cache_state, text = citizen_visit(browser, site)
    assert cache_state == "HIT"
    assert TITLE not in text

    page.goto(f"{site}/admin/login/?next=/admin/press/pressrelease/{release.pk}/change/")
    page.fill("#id_username", "sprecherin")
    page.fill("#id_password", "geheim-123")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    page.locator("button[name=_transition][value=publish]").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .error, .errornote").all_inner_texts() == []
    page.screenshot(path=str(Path(tempfile.gettempdir()) / "page-cache-admin.png"))

    cache_state, text = citizen_visit(browser, site, screenshot="page-cache-citizen.png")
    assert cache_state == "MISS"
    assert TITLE in text
    assert citizen_visit(browser, site)[0] == "HIT"
