"""What a Redaktion user meets in the release admin, in a real browser: a published release is read
(the blocks' texts visible, no script error), and the list's editing saves the rows they may change
while showing the published ones read-only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from press.models import PressRelease
from tests.factories import add_quote, add_text, make_person, make_release, make_user
from tests.roles import ensure_roles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]  # the roles come from the autouse fixture in tests/conftest.py
PASSWORD = "geheim-123"


def user(name, *groups):
    ensure_roles()
    person = make_user(name, *groups)
    person.set_password(PASSWORD)
    person.save()
    return person


def log_in(page, site, username, next_path):
    page.context.clear_cookies()
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()


def watch_errors(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def test_redaktion_reads_a_published_release_with_its_blocks(page, site):
    user("redakteur", "Redaktion")
    release = make_release(title="Neue Bäume am Rhein", lead="Die Stadt pflanzt 200 Bäume.")
    add_text(release, "<p>Die Pflanzung beginnt im März am Rheinufer.</p>")
    add_quote(release, make_person(name="Erika Grün"), text="Jeder Baum zählt.")
    errors = watch_errors(page)

    log_in(page, site, "redakteur", f"/admin/press/pressrelease/{release.pk}/change/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path="/tmp/admin-roles-readonly.png", full_page=True)

    assert errors == []
    assert page.get_by_text("Die Pflanzung beginnt im März am Rheinufer.").is_visible()
    assert page.get_by_text("Jeder Baum zählt.").is_visible()
    assert "Korrektur anregen" in page.locator(".press-workflow").inner_text()


def test_redaktion_saves_the_list_with_published_rows_shown_read_only(page, site):
    user("redakteur", "Redaktion")
    later = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    published = make_release(title="Schon draußen")
    draft = make_release(title="Noch im Entwurf", status=PressRelease.Status.DRAFT, published_at=later)
    errors = watch_errors(page)

    log_in(page, site, "redakteur", "/admin/press/pressrelease/")
    published_row = page.locator("#result_list tr", has_text="Schon draußen")
    draft_row = page.locator("#result_list tr", has_text="Noch im Entwurf")
    assert published_row.locator("input.vDateField").count() == 0  # shown, not offered
    assert published_row.locator("td.field-published_at").inner_text().strip() != ""
    draft_row.locator("input.vTimeField").fill("06:30:00")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    page.screenshot(path="/tmp/admin-roles-changelist.png", full_page=True)

    assert page.locator(".errornote, .errorlist").all_inner_texts() == []
    assert "erfolgreich" in page.locator(".messagelist").inner_text()
    draft.refresh_from_db()
    assert timezone.localtime(draft.published_at).strftime("%H:%M") == "06:30"
    assert draft.version == 2
    published.refresh_from_db()
    assert published.version == 1  # untouched rows are not saved at all
    assert errors == []
