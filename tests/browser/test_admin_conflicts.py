"""Two editors on the same release, each in their own browser: each sees that the other has it open,
a save after the colleague's keeps what only the colleague changed (fields and blocks), and a field
both changed is offered side by side to choose from."""

import pytest
import reversion
from django.core.cache import cache

from press import history
from press.models import PressRelease, TextBlock
from tests.browser.conftest import DESKTOP, watch_csp
from tests.factories import add_text, make_contact, make_release, make_user
from tests.roles import ensure_roles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]  # the roles come from the autouse fixture in tests/conftest.py
PASSWORD = "geheim-123"


@pytest.fixture
def two_pages(browser, site):
    contexts, pages, violations = [], [], []
    for _ in range(2):
        context = browser.new_context(viewport=DESKTOP, locale="de-DE", timezone_id="Europe/Berlin")
        violations.append(watch_csp(context))
        page = context.new_page()
        page.set_default_timeout(15_000)
        contexts.append(context)
        pages.append(page)
    yield pages
    for context in contexts:
        context.close()
    assert violations == [[], []], f"Content-Security-Policy violations: {violations}"


def editor(name):
    ensure_roles()
    user = make_user(name, "Redaktion", first_name=name.capitalize())
    user.set_password(PASSWORD)
    user.save()
    return user


def open_as(page, site, username, path):
    page.goto(f"{site}/admin/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()


def save(page):
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()


def test_two_editors_see_each_other_and_their_saves_merge(two_pages, site):
    cache.clear()  # who has which release open lives in the cache
    editor("anna"), editor("bert")
    release = make_release(title="Stadtfest", lead="Am Wochenende.", status=PressRelease.Status.DRAFT)
    release.contact = make_contact()
    release.save()
    block = add_text(release, "<p>Programm folgt.</p>")
    with reversion.create_revision():
        history.record(release)
    path = f"/admin/press/pressrelease/{release.pk}/change/"
    anna, bert = two_pages
    errors = []
    for page in two_pages:
        page.on("pageerror", lambda error: errors.append(str(error)))

    open_as(anna, site, "anna", path)
    open_as(bert, site, "bert", path)
    assert "Anna" in bert.locator("#press-presence").inner_text()  # shown on opening
    heartbeat = anna.evaluate(  # the next heartbeat, now rather than in 20 seconds
        "async () => { const box = document.getElementById('press-presence');"
        " const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;"
        " const r = await fetch(box.dataset.url, {method: 'POST', headers: {'X-CSRFToken': token}});"
        " return (await r.json()).others }"
    )
    assert heartbeat == ["Bert"]

    anna.fill("#id_title", "Stadtfest am Rhein")
    anna.locator(".inline-related[id^='press_textblock_set-'] [contenteditable=true]").first.click()
    anna.keyboard.press("End")
    anna.keyboard.type(" Mit Feuerwerk.")
    save(anna)
    assert anna.locator(".errornote").count() == 0

    bert.fill("#id_lead", "Am Wochenende wird gefeiert.")
    save(bert)
    bert.screenshot(path="/tmp/admin-conflicts-merged.png", full_page=True)
    assert bert.locator(".errornote").count() == 0, bert.locator(".errornote").inner_text()
    assert "Zusammengeführt" in bert.locator(".messagelist").inner_text()
    release.refresh_from_db()
    assert release.title == "Stadtfest am Rhein"  # Anna's, not reverted by Bert's save
    assert release.lead == "Am Wochenende wird gefeiert."
    assert "Mit Feuerwerk." in TextBlock.objects.get(pk=block.pk).html

    # Both change the lead: Bert is shown both versions and picks Anna's.
    anna.reload()
    bert.reload()
    anna.fill("#id_lead", "Annas Vorspann.")
    save(anna)
    bert.fill("#id_lead", "Berts Vorspann.")
    bert.fill("#id_subtitle", "Berts Untertitel")
    save(bert)
    bert.screenshot(path="/tmp/admin-conflicts-choice.png", full_page=True)
    row = bert.locator(".press-merge__row[data-field=lead]")
    assert "Berts Vorspann." in row.inner_text() and "Annas Vorspann." in row.inner_text()
    row.locator("input[value=theirs]").check()
    save(bert)
    assert bert.locator(".errornote").count() == 0, bert.locator(".errornote").inner_text()
    release.refresh_from_db()
    assert (release.lead, release.subtitle) == ("Annas Vorspann.", "Berts Untertitel")
    assert errors == []
