"""A sample of the XSS matrix (tests/security/test_xss_matrix.py) rendered in chromium: a release
whose every text field carries payloads, shown on its public page, the release list, the admin's
change list and change form. No payload may run: no dialog opens, no handler fires."""

import pytest

from tests.factories import make_user
from tests.roles import ensure_roles
from tests.security.test_xss_matrix import release_with
from tests.security.xss import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-123"


def test_payloads_do_not_run_in_the_browser(page, site, tally, tmp_path):
    ensure_roles()
    releases = [release_with(index) for index in (0, 1, 3, 4)]
    admin = make_user("chefin", superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "chefin")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    paths = ["/pressemitteilungen/", "/admin/press/pressrelease/", "/admin/cityhall/image/"]
    for release in releases:
        paths += [release.get_absolute_url(), f"/admin/press/pressrelease/{release.pk}/change/"]
    for path in paths:
        before = len(dialogs)
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        page.mouse.move(10, 10)
        page.hover("body")  # onmouseover payloads
        tally.check("xss: in chromium", len(dialogs) == before, f"{path}: {dialogs[before:]}")
    page.goto(site + releases[0].get_absolute_url())
    page.screenshot(path=str(tmp_path / "xss-release.png"), full_page=False)
    assert page.locator("h1").inner_text().startswith("<script>"), "the payload shows as text"
    assert len(PAYLOADS) >= 4
    tally.assert_held()
