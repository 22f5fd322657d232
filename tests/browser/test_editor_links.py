"""The rich-text editor in a real browser: a link to another release chosen by its title in the link
dialog (saved as its address, still answering after the target's slug changes), and the checks panel
that warns while someone writes."""

import pytest
from django.contrib.auth.models import User

from press.models import PressRelease, TextBlock
from tests.browser.test_press_officer import log_in
from tests.factories import add_text, make_release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def text_editor(page):
    return page.locator(
        ".inline-related[id^='press_textblock_set-']:not(.empty-form) [contenteditable=true]"
    ).first


SELECT_END = """(root, count) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  let last = null
  while (walker.nextNode()) last = walker.currentNode
  const range = document.createRange()
  range.setStart(last, last.length - count)
  range.setEnd(last, last.length)
  root.focus()
  const selection = window.getSelection()
  selection.removeAllRanges()
  selection.addRange(range)
}"""


def select_last_characters(page, editor, count):
    """Select the last ``count`` characters of the editor's text, as a mouse drag would."""
    editor.evaluate(SELECT_END, count)
    page.wait_for_function(
        "(n) => window.getSelection().toString().length === n && document.activeElement.isContentEditable",
        arg=count,
    )
    page.wait_for_timeout(50)  # ProseMirror reads the selection on its selectionchange event


def test_a_release_chosen_by_title_in_the_link_dialog(page, site, tmp_path):
    User.objects.create_superuser("sprecherin", "sprecherin@example.org", "geheim-123")
    target = make_release(title="Sommerfest am Rhein", slug="sommerfest")
    make_release(title="Sommerferien im Zoo", status=PressRelease.Status.DRAFT)
    source = make_release(title="Programm des Sommers", status=PressRelease.Status.DRAFT)
    add_text(source, "<p>Alles zum Fest.</p>")

    log_in(page, site, "sprecherin", f"/admin/press/pressrelease/{source.pk}/change/")
    editor = text_editor(page)
    select_last_characters(page, editor, len("zum Fest."))
    page.keyboard.press("Control+k")
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    search = dialog.get_by_role("combobox")
    search.fill("Sommerf")
    options = dialog.get_by_role("option")
    options.first.wait_for()
    assert options.count() == 2
    assert "Entwurf" in dialog.get_by_role("option", name="Sommerferien im Zoo").inner_text()
    page.screenshot(path=str(tmp_path / "link-dialog.png"))
    search.fill("Sommerfest am")
    page.wait_for_function("() => document.querySelectorAll('dialog[open] [role=option]').length === 1")
    search.press("ArrowDown")
    search.press("Enter")  # takes the hit; Enter in the search never submits the dialog
    assert dialog.locator("input[name=href]").input_value() == "/pressemitteilungen/sommerfest/"
    dialog.get_by_role("button", name="Übernehmen").click()
    assert editor.locator("a").get_attribute("href") == "/pressemitteilungen/sommerfest/"

    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    assert page.locator(".errornote, .errorlist").all_inner_texts() == []
    html = TextBlock.objects.get(parent=source).html
    assert html == '<p>Alles <a href="/pressemitteilungen/sommerfest/">zum Fest.</a></p>'

    # The target's slug changes: the stored link still leads to it.
    target = PressRelease.objects.get(pk=target.pk)
    target.slug = "sommerfest-2026"
    target.save()
    page.goto(f"{site}/pressemitteilungen/sommerfest/")
    assert page.url == f"{site}/pressemitteilungen/sommerfest-2026/"
    assert page.locator("article.release h1").inner_text() == "Sommerfest am Rhein"


def test_the_checks_panel_warns_while_writing(page, site, tmp_path):
    User.objects.create_superuser("sprecherin", "sprecherin@example.org", "geheim-123")
    release = make_release(title="Sommerfest", status=PressRelease.Status.DRAFT, lead="Die Stadt lädt ein.")
    add_text(release, "<h2>Programm</h2><h4>Abends</h4><p>Musik am Rhein.</p>")

    log_in(page, site, "sprecherin", f"/admin/press/pressrelease/{release.pk}/change/")
    panel = page.locator("#inhaltspruefung")
    assert "„Abends“ (Ebene 4) folgt auf Ebene 2" in panel.locator("[data-check=heading]").inner_text()
    assert panel.locator("[data-check=link]").count() == 0

    editor = text_editor(page)
    editor.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(" Mehr hier")
    page.wait_for_function("() => document.activeElement.textContent.endsWith('Mehr hier')")
    select_last_characters(page, editor, len("hier"))
    page.keyboard.press("Control+k")
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.locator("input[name=href]").fill("/pressemitteilungen/")
    dialog.get_by_role("button", name="Übernehmen").click()

    link = panel.locator("[data-check=link]")
    link.wait_for()
    assert "„hier“" in link.inner_text()
    assert panel.locator("[data-check=heading]").count() == 1
    assert "Wörter" in panel.inner_text() and "LIX" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "checks-panel.png"))
    # The checks warn, they do not block: the release saves.
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    assert page.locator(".errornote").count() == 0
    assert 'href="/pressemitteilungen/">hier</a>' in TextBlock.objects.get(parent=release).html
