"""`make screenshots`: refreshes docs/screenshots/ from a real browser (not collected by the normal run,
which only collects test_*.py; run this file by name with SCREENSHOTS_DIR set)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.content import make_site_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def target():
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        pytest.skip("set SCREENSHOTS_DIR (make screenshots) to write the screenshots")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_screenshots(page, site, target):
    release, _partnership = make_site_content(all_partnerships=True)
    page.set_viewport_size(DESKTOP)
    page.goto(site + release.get_absolute_url())
    page.screenshot(path=target / "release-desktop.png", full_page=True)
    page.set_viewport_size(MOBILE)
    page.goto(site + release.get_absolute_url())
    page.screenshot(path=target / "release-mobile.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.goto(site + "/partnerstaedte/")
    page.screenshot(path=target / "partnerships.png", full_page=True)

    User.objects.create_superuser("redaktion", "redaktion@example.org", "geheim-123")
    page.goto(f"{site}/admin/login/?next=/admin/press/pressrelease/{release.pk}/change/")
    page.fill("#id_username", "redaktion")
    page.fill("#id_password", "geheim-123")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path=target / "admin-release-form.png", full_page=True)
