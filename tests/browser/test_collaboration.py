"""Working with each other, in a real browser: Redaktion suggests a correction of a published release
it cannot change, the spokesperson sees it on the press desk, answers it and marks it as done (each
side gets its mail through the worker and a real SMTP server); an internal comment is written on a
release and shows on its form and in its history."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User

from tests.browser.test_press_officer import log_in
from tests.factories import add_text, make_release
from tests.mailserver import run_worker, running_smtp

# Real commits; the roles made by migrations come from the autouse fixture in tests/conftest.py.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings):
    with running_smtp(settings) as inbox:
        yield inbox


def role(name):
    """The group as the migrations make it (made again from their lists where a flush
    before this test removed the migrations' data)."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        for label in ("press", "cityhall", "partnerships", "taggit"):
            create_permissions(apps.get_app_config(label), verbosity=0)
        roles = importlib.import_module("press.migrations.0004_editorial_roles")
        grants = importlib.import_module("press.migrations.0008_collaboration_permissions").GRANTS[name]
        spec = roles.EDITOR_PERMISSIONS if name == roles.EDITORS else roles.SPOKESPERSON_PERMISSIONS
        wanted = [(app, f"{action}_{model}") for app, model, actions in spec for action in actions]
        wanted += [("press", f"{action}_{model}") for model, actions in grants for action in actions]
        for app, codename in wanted:
            group.permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    return group


def member(username, group):
    user = User.objects.create_user(username, f"{username}@example.org", "geheim-123", is_staff=True)
    user.groups.add(role(group))
    return user


def test_a_correction_is_suggested_and_answered(page, site, smtp, tmp_path):
    member("redaktion", "Redaktion")
    member("sprecherin", "Pressesprecher/in")
    release = make_release(title="Neue Radwege am Rhein", lead="Die Stadt baut zwölf Kilometer Radweg.")
    add_text(release, "<p>Der erste Abschnitt wird im Frühjahr fertig.</p>")
    change = f"/admin/press/pressrelease/{release.pk}/change/"

    log_in(page, site, "redaktion", change)
    suggestions = page.locator("#correction_suggestions-group")
    suggestions.get_by_role("link", name="Korrektur anregen").click()
    page.wait_for_load_state()
    assert "Neue Radwege am Rhein" in page.locator("#content").inner_text()
    page.fill("#id_text", "Es sind zwanzig Kilometer,\nnicht zwölf.")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert page.url.endswith(change + "#correction_suggestions-group")
    assert "bei den Pressesprecher/innen angekommen" in page.locator(".messagelist").inner_text()
    assert "Es sind zwanzig Kilometer," in suggestions.inner_text()
    page.screenshot(path=str(tmp_path / "suggested.png"), full_page=True)

    run_worker()
    assert smtp.recipients() == ["sprecherin@example.org"]
    smtp.messages.clear()

    log_in(page, site, "sprecherin", "/admin/press/pressrelease/desk/")
    desk = page.locator("#desk-suggestions")
    assert "Neue Radwege am Rhein" in desk.inner_text()
    desk.get_by_role("link", name="Beantworten").click()
    page.wait_for_load_state()
    page.fill("#id_answer", "Danke, ist korrigiert.")
    page.check("#id_done")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert page.url.endswith(change + "#correction_suggestions-group")
    assert "Danke, ist korrigiert." in page.locator("#correction_suggestions-group").inner_text()
    page.goto(f"{site}/admin/press/pressrelease/desk/")
    assert "Neue Radwege am Rhein" not in page.locator("#desk-suggestions").inner_text()

    run_worker()
    [(recipients, message)] = smtp.messages
    assert recipients == ["redaktion@example.org"]
    assert "Danke, ist korrigiert." in message.get_body(("plain",)).get_content()
    assert f"https://presse.example.org{change}" in message.get_body(("plain",)).get_content()


def test_a_comment_is_added_and_shown_on_the_form_and_in_the_history(page, site):
    member("redaktion", "Redaktion")
    release = make_release(title="Stadtfest 2026", status="draft")
    change = f"/admin/press/pressrelease/{release.pk}/change/"

    log_in(page, site, "redaktion", change)
    comments = page.locator("#comments-group")
    assert "Noch keine." in comments.inner_text()
    comments.get_by_role("link", name="Kommentar schreiben").click()
    page.wait_for_load_state()
    page.fill("#id_text", "Das Foto vom Schadowplatz kommt am Montag.")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert page.url.endswith(change + "#comments-group")
    listed = page.locator("#comments-group").inner_text()
    assert "Das Foto vom Schadowplatz kommt am Montag." in listed and "redaktion" in listed

    page.goto(f"{site}/admin/press/pressrelease/{release.pk}/history/")
    assert "Das Foto vom Schadowplatz kommt am Montag." in page.locator("#history-comments").inner_text()
