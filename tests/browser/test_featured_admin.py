"""A spokesperson pins a release to the home page in a real browser and a citizen sees it on top."""

import pytest

from tests.browser.test_appointments_admin import pick
from tests.factories import make_release, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_spokesperson_pins_a_release_to_the_home_page(page, site):
    user = make_user("sprecherin", "Pressesprecher/in")
    user.set_password("geheim-123")
    user.save()
    make_release(title="Unwetter: Parks bleiben geschlossen")
    make_release(title="Neue Radwege am Rhein")

    page.goto(f"{site}/admin/login/?next=/admin/press/featuredrelease/add/")
    page.fill("#id_username", "sprecherin")
    page.fill("#id_password", "geheim-123")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    pick(page, "id_release", "Unwetter")
    page.fill("#id_until_0", "31.12.2099")
    page.fill("#id_until_1", "18:00")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert "erfolgreich hinzugefügt" in page.locator(".messagelist").inner_text()

    page.goto(site + "/")
    focus = page.get_by_role("region", name="Im Fokus")
    assert focus.get_by_role("link").all_inner_texts() == ["Unwetter: Parks bleiben geschlossen"]
    page.screenshot(path="/tmp/featured-home.png")
