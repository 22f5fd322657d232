"""The editor in a real browser: text pasted from Word (soft hyphens, zero-width and no-break spaces,
bullet paragraphs) is stored clean and found by search; one tag field picks and creates tags; the editor
speaks German; the head of the form is wide enough and not covered at 1280 px."""

import pytest
from django.contrib.auth.models import User
from taggit.models import Tag

from press import search
from press.models import PressRelease, TextBlock
from tests.browser.test_press_officer import add_block, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What Word puts on the clipboard: soft hyphens, a zero-width space, no-break spaces, a bullet list as
# paragraphs with "·" and spaces (its HTML as ProseMirror receives it).
TITLE = "Neues Jugend\u00adzentrum\u00a0für Schüler\u200binnen"
WORD_HTML = (
    '<p class="MsoNormal">Im Jugend\u00adzentrum lernen Schüler\u200binnen:</p>'
    '<p class="MsoListParagraphCxSpFirst"><span style="font-family:Symbol">·</span>'
    '<span style="font:7pt Times">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>Programmieren</p>'
    '<p class="MsoListParagraphCxSpLast"><span style="font-family:Symbol">·</span>'
    '<span style="font:7pt Times">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>Theater</p>'
)
PASTE = """([html, text]) => {
    const editor = document.querySelector('.inline-related:not(.empty-form) [contenteditable=true]');
    editor.focus();
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', text);
    editor.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def overlaps(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_word_paste_is_stored_clean_found_by_search_and_tagged_in_one_field(page, site):
    User.objects.create_superuser("redaktion", "redaktion@example.org", "geheim-123")
    Tag.objects.create(name="Jugend")
    log_in(page, site, "redaktion", "/admin/press/pressrelease/add/")

    # The editor's own strings come in German (django-prose-editor's catalogue).
    assert page.evaluate("gettext('Cancel')") == "Abbrechen"
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "Die Stadt eröffnet ein Jugend\u00adzentrum.\nMit Werkstatt.")
    text = add_block(page, "press_textblock_set")
    text.locator("[contenteditable=true]").click()
    page.evaluate(PASTE, [WORD_HTML, "Im Jugendzentrum …"])

    # One tag field: an existing tag picked, a new one typed into the same field.
    tags = page.locator("#id_tags + .select2")
    tags.click()
    page.keyboard.type("Jug")
    page.locator(".select2-results__option:not(.loading-results)", has_text="Jugend").last.click()
    tags.click()
    page.keyboard.type("Offene Ganztagsschule")
    page.locator(".select2-results__option", has_text="Offene Ganztagsschule").first.click()
    assert page.locator("#id_new_tags").count() == 0
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/editor_paste_form.png", full_page=False)

    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert errors == [], errors

    release = PressRelease.objects.get()
    assert release.title == "Neues Jugendzentrum für Schülerinnen"
    assert release.lead == "Die Stadt eröffnet ein Jugendzentrum.\nMit Werkstatt."
    html = TextBlock.objects.get().html
    assert "\u00ad" not in html and "\u200b" not in html
    assert "<ul><li><p>Programmieren</p></li><li><p>Theater</p></li></ul>" in html
    assert sorted(release.tags.names()) == ["Jugend", "Offene Ganztagsschule"]

    # The change page at 1280 px: title input wide enough, buttons near the heading, not over it.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path="/tmp/editor_change_form.png", full_page=False)
    title_box = page.locator("#id_title").bounding_box()
    assert title_box["width"] >= 600, title_box
    tools = page.locator(".object-tools").bounding_box()
    for heading in page.locator("#content h1, #content h2").all()[:2]:
        assert not overlaps(tools, heading.bounding_box()), heading.inner_text()
    # Read-only fields without a value show a dash.
    assert "None" not in page.locator("fieldset").first.inner_text()

    # Published, the pasted words are found as they are written on the page.
    PressRelease.objects.filter(pk=release.pk).update(status=PressRelease.Status.PUBLISHED)
    search.rebuild(release.pk)
    for word in ("Jugendzentrum", "Schülerinnen"):
        page.goto(f"{site}/suche/?q={word}")
        assert "Neues Jugendzentrum für Schülerinnen" in page.locator("main").inner_text(), word
