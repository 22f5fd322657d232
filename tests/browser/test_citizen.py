"""A citizen in a real browser: home → a release → its partnership → search; by keyboard too."""

import re

import pytest

from tests.browser.content import make_site_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_release_partnership_search(page, site):
    release, partnership = make_site_content()

    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "Aktuelle Pressemitteilungen"
    page.get_by_role("link", name=release.title).click()
    page.wait_for_url(re.compile(re.escape(release.get_absolute_url()) + "$"))
    assert page.locator("h1").inner_text() == release.title
    assert page.locator("article time").first.inner_text() == "28. Januar 2021, 14:00 Uhr"
    # The photo is served and shown.
    assert page.locator("article figure img").first.evaluate("img => img.complete && img.naturalWidth > 0")

    page.get_by_role("link", name="Städtepartnerschaft Chemnitz").first.click()
    page.wait_for_url(re.compile(re.escape(partnership.get_absolute_url()) + "$"))
    assert "Chemnitz" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name=release.title).count() == 1

    page.get_by_label("Pressemitteilungen durchsuchen").fill("Partnerschaft")
    page.get_by_label("Pressemitteilungen durchsuchen").press("Enter")
    page.wait_for_url(re.compile(r"/suche/\?q=Partnerschaft$"))
    assert page.locator("h1").inner_text() == "Suche"
    results = page.locator(".card__title").all_inner_texts()
    assert release.title in results and "Bürgerbegegnung mit Chemnitz" in results
    assert page.locator(".card__snippet mark").count() >= 1
    assert "Pressemitteilungen gefunden" in page.get_by_role("status").inner_text()


def test_keyboard_user_skips_to_the_content_and_sees_focus(page, site):
    make_site_content()
    page.goto(site + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["y"] >= 0  # moved on screen when focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"
