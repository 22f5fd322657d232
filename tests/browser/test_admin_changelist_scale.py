"""The release change list as it is built for a large archive, in a real browser: 50 rows a page, no
second count of every release, the year filter from the first and last year, and the search."""

from datetime import UTC, datetime

import pytest

from tests.browser.test_admin_roles import log_in, user, watch_errors
from tests.factories import make_release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_change_list_pages_filters_by_year_and_searches(page, site):
    user("redakteur", "Redaktion")
    for i in range(55):
        make_release(
            title=f"Meldung {i:02d}", published_at=datetime(2022 + i % 3, 3, 1 + i % 27, 10, tzinfo=UTC)
        )
    make_release(title="Besuch aus Haifa", published_at=datetime(2023, 6, 1, 10, tzinfo=UTC))
    errors = watch_errors(page)

    log_in(page, site, "redakteur", "/admin/press/pressrelease/")
    assert page.locator("#result_list tbody tr").count() == 50
    assert page.locator(".paginator").inner_text().count("56") == 1  # "56 Pressemitteilungen"
    year_links = page.locator("#changelist-filter a", has_text="2023")
    with page.expect_navigation():
        year_links.first.click()
    assert page.locator("#result_list tbody tr").count() == 19  # 18 of the loop and Haifa

    page.fill("#searchbar", "Haifa")
    with page.expect_navigation():
        page.locator("#changelist-search input[type=submit]").click()
    page.screenshot(path="/tmp/admin-changelist-scale.png", full_page=True)
    assert page.locator("#result_list tbody tr").all_inner_texts()[0].split()[:3] == [
        "Besuch",
        "aus",
        "Haifa",
    ]
    assert page.locator("#result_list tbody tr").count() == 1
    assert errors == []
