"""`make screenshots`: refreshes docs/screenshots/ from a real browser (not collected by the normal run,
which only collects test_*.py; run this file by name with SCREENSHOTS_DIR set)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from press.models import PressRelease
from tests.browser.conftest import DESKTOP, MOBILE

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
    # The demo content, as `make run` shows it: the seed release and Düsseldorf's partnerships.
    for name in ("content.json", "partnerships.json"):
        call_command("import_content", str(settings.BASE_DIR / "demo" / name), verbosity=0)
    release = PressRelease.objects.get(slug="virtuelles-treffen-der-partnerstaedte-duesseldorf-und-chemnitz")
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
