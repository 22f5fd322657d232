"""The admin as a press office uses it is accessible (BITV 2.0 covers internal tools too): axe-core finds no
WCAG 2.1 A/AA violation on any of its pages at 1280 and 375 pixels, the body blocks and the editor's toolbar
have German names, and a release is written, reordered and submitted with the keyboard alone."""

from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import User
from django.utils import timezone

from cityhall.library.models import Image, LegalPage, Person
from press import history
from press.models import (
    Appointment,
    Comment,
    Correction,
    CorrectionSuggestion,
    FeaturedRelease,
    ImageBlock,
    PressRelease,
    PreviewLink,
    QuoteBlock,
    TextBlock,
)
from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.content import make_site_content
from tests.browser.test_checks import AXE_TAGS, RUN_AXE
from tests.factories import make_contact, make_image, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-123"
ADD_BLOCK = ".order-machine-insert-target.last"


def log_in(page, site, next_path):
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.fill("#id_username", "redaktion")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()


def violations(page, axe_source):
    # The icon fonts loaded, so that axe sees the icons and not their ligature names as visible text.
    page.evaluate(
        "() => Promise.all([...document.fonts].filter(f => /material/i.test(f.family)).map(f => f.load()))"
        ".then(() => document.fonts.ready).then(() => true)"
    )
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(RUN_AXE, AXE_TAGS)


def admin_content():
    """The seed release with two revisions, a preview link, a correction, a comment, a suggestion, on the
    home page's "Im Fokus"; a press appointment and the legal pages (from make_site_content)."""
    release, partnership = make_site_content()
    user = User.objects.create_superuser("redaktion", "redaktion@example.org", PASSWORD)
    with reversion.create_revision():
        history.record(release)
    PressRelease.objects.filter(pk=release.pk).update(subtitle="Die Oberbürgermeister tauschen sich aus")
    release.refresh_from_db()
    with reversion.create_revision():
        history.record(release)
    PreviewLink.objects.create(
        release=release, recipient="dpa Landesdienst", key="k1", expires_at=timezone.now() + timedelta(days=2)
    )
    Correction.objects.create(release=release, noted_at=timezone.now(), text="Das Treffen war am Donnerstag.")
    Comment.objects.create(release=release, text="Bitte Zitat prüfen.", author_name=user.username)
    CorrectionSuggestion.objects.create(release=release, text="Der Name ist falsch geschrieben.")
    FeaturedRelease.objects.create(release=release, until=timezone.now() + timedelta(days=1))
    return release, partnership


def admin_pages(release, partnership):
    base = "/admin/press/pressrelease/"
    revision = list(history.versions_of(release.pk))[-1]
    return [
        ("start", "/admin/"),
        ("zwei-faktor", "/admin/zwei-faktor/"),
        ("mitteilungen", base),
        ("mitteilungen-gefiltert", f"{base}?q=Chemnitz"),
        ("mitteilung", f"{base}{release.pk}/change/"),
        ("versionen", f"{base}{release.pk}/history/"),
        ("fassung-diff", f"{base}{release.pk}/history/{revision.pk}/"),
        ("redaktionsplan", f"{base}desk/"),
        ("bilder", "/admin/cityhall/image/"),
        ("bild", f"/admin/cityhall/image/{Image.objects.order_by('pk').first().pk}/change/"),
        ("bild-hochladen", "/admin/cityhall/image/add/"),
        ("bilder-hochladen", "/admin/cityhall/image/mehrere/"),
        ("personen", "/admin/cityhall/person/"),
        ("person", f"/admin/cityhall/person/{Person.objects.order_by('pk').first().pk}/change/"),
        ("person-neu", "/admin/cityhall/person/add/"),
        ("partnerschaften", "/admin/partnerships/partnership/"),
        ("partnerschaft", f"/admin/partnerships/partnership/{partnership.pk}/change/"),
        ("projekt-neu", "/admin/partnerships/project/add/"),
        ("kommentar", f"/admin/press/comment/{Comment.objects.get().pk}/change/"),
        (
            "korrekturvorschlag",
            f"/admin/press/correctionsuggestion/{CorrectionSuggestion.objects.get().pk}/change/",
        ),
        ("pressetermine", "/admin/press/appointment/"),
        ("pressetermin", f"/admin/press/appointment/{Appointment.objects.get().pk}/change/"),
        ("im-fokus", "/admin/press/featuredrelease/"),
        ("im-fokus-neu", "/admin/press/featuredrelease/add/"),
        ("rechtliche-seiten", "/admin/cityhall/legalpage/"),
        ("impressum", f"/admin/cityhall/legalpage/{LegalPage.objects.order_by('pk').first().pk}/change/"),
    ]


def add_block(page, prefix):
    page.locator(ADD_BLOCK).click()
    page.locator(f".plugin-buttons [data-plugin-prefix='{prefix}']").click()
    return page.locator(f".inline-related[id^='{prefix}-']:not(.empty-form)").last


def assert_german_names(page):
    """The seed release's form: block headings say what a block is, the toolbar speaks German."""
    titles = page.locator(
        ".order-machine .inline-related:not(.empty-form) > h3 .block-title"
    ).all_inner_texts()
    assert titles == [
        "Textblock 1",
        "Zitat 1 von Dr. Stephan Keller",
        "Zitat 2 von Sven Schulze",
        "Bild 1: Rathaus Chemnitz",
        "Hintergrund 1: Hintergrund Städtepartnerschaft",
    ]
    for title in titles:  # the accessible name is the title alone: no icon ligature, no button
        assert page.get_by_role("heading", name=title, exact=True).count() == 1, title
    toolbar = page.get_by_role("toolbar", name="Format: Text").first
    toolbar.get_by_role("button", name="Fett", exact=True).wait_for()  # the editors start a moment later
    for name in ("Fett", "Kursiv", "Zitat im Text", "Aufzählung", "Link einfügen", "Rückgängig"):
        assert toolbar.get_by_role("button", name=name, exact=True).count() == 1, name
    # The glyphs are there for the eye only.
    glyphs = page.evaluate(
        "() => [...document.querySelectorAll('.material-icons')].filter(e => !e.closest('[aria-hidden=true]')"
        " && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())).map(e => e.outerHTML)"
    )
    assert glyphs == []
    spoken = page.locator("#content").aria_snapshot()
    for ligature in ("format_quote", "format_bold", "unfold_less", "notes", "insert_link", "⏷"):
        assert ligature not in spoken, ligature
    assert page.get_by_role("textbox", name="Text").count() >= 1


def test_admin_pages_have_no_axe_violations_and_name_blocks_and_tools_in_german(page, site, axe_source):
    release, partnership = admin_content()
    pages = admin_pages(release, partnership)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, site, "/admin/")
    problems = []
    for width_name, viewport in (("1280", DESKTOP), ("375", MOBILE)):
        page.set_viewport_size(viewport)
        for name, path in pages:
            response = page.goto(site + path)
            assert response.status == 200, (path, response.status)
            page.wait_for_load_state("load")
            problems += [f"{width_name} {name} {path}: {v}" for v in violations(page, axe_source)]

        # A new release with one block of every type.
        page.goto(f"{site}/admin/press/pressrelease/add/")
        for prefix in (
            "press_textblock_set",
            "press_quoteblock_set",
            "press_imageblock_set",
            "press_backgroundblock_set",
        ):
            add_block(page, prefix)
        page.locator(".prose-editor [contenteditable=true]").first.wait_for()
        problems += [f"{width_name} neu-mit-blöcken: {v}" for v in violations(page, axe_source)]
        if viewport is DESKTOP:
            page.screenshot(path="/tmp/admin-a11y-add-1280.png", full_page=True)

        # The conflict view: a colleague saved the lead in the meantime.
        change = f"{site}/admin/press/pressrelease/{release.pk}/change/"
        colleague = page.context.new_page()
        page.goto(change)
        colleague.goto(change)
        colleague.fill("#id_lead", f"Der Vorspann der Kollegin ({width_name}).")
        with colleague.expect_navigation():
            colleague.locator("input[name=_continue]").first.click()
        colleague.close()
        page.fill("#id_lead", f"Mein Vorspann ({width_name}).")
        with page.expect_navigation():
            page.locator("input[name=_continue]").first.click()
        assert page.locator("#bearbeitungskonflikt .press-merge").count() == 1
        problems += [f"{width_name} konflikt: {v}" for v in violations(page, axe_source)]
        page.screenshot(path=f"/tmp/admin-a11y-conflict-{width_name}.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/admin/press/pressrelease/{release.pk}/change/")
    assert_german_names(page)
    page.screenshot(path="/tmp/admin-a11y-change-1280.png", full_page=True)
    page.set_viewport_size(MOBILE)
    page.reload()
    page.screenshot(path="/tmp/admin-a11y-change-375.png", full_page=True)
    assert problems == [], "\n".join(problems)
    assert errors == []


FOCUS_PROBLEM = """() => {
  const el = document.activeElement
  if (!el || el === document.body || el === document.documentElement) return "Fokus verloren"
  const where = el.outerHTML.slice(0, 160)
  if (!el.getClientRects().length) return "Fokus auf Unsichtbarem: " + where
  for (let node = el; node; node = node.parentElement) {
    const style = getComputedStyle(node)
    if (+style.opacity < 0.2 || style.visibility === "hidden") return "Fokus auf Unsichtbarem: " + where
  }
  // A select2 box shows the focus of its search field around the whole box.
  const box = el.closest(".select2-container--focus")
  const style = getComputedStyle(box ? box.querySelector(".select2-selection") : el)
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none"
  return ring ? "" : "Fokus ohne Rahmen: " + where
}"""


class Keyboard:
    """Tab, Shift+Tab, Enter and typing only; after every key the focus must be visible somewhere."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        self.errors = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def check(self, what):
        problem = self.page.evaluate(FOCUS_PROBLEM)
        if problem:
            self.problems.append(f"{what}: {problem}")

    def press(self, key, what=None):
        before = self.page.evaluate("() => document.activeElement.outerHTML.slice(0, 100)")
        self.page.keyboard.press(key)
        self.check(f"{what or key} (von {before})")

    def type(self, text):
        self.page.keyboard.type(text)

    def on(self, selector):
        return self.page.evaluate("(s) => document.activeElement.matches(s)", selector)

    def lands_on(self, selector):
        """The focus gets to ``selector`` (soon: a new block's editor starts a moment later)."""
        from playwright.sync_api import TimeoutError as Timeout

        try:
            self.page.wait_for_function(
                "(s) => document.activeElement.matches(s)", arg=selector, timeout=3000
            )
        except Timeout:  # say where the focus is instead
            where = self.page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
            self.page.screenshot(path="/tmp/admin-a11y-keyboard-failed.png", full_page=True)
            raise AssertionError(f"focus not on {selector} but on {where} {self.errors}") from None
        self.check(selector)

    def tab_to(self, selector, backwards=False, limit=150):
        for step in range(limit):
            self.press("Shift+Tab" if backwards else "Tab", f"Tab {step} zu {selector}")
            if self.on(selector):
                return
        raise AssertionError(f"{selector} not reached with the keyboard")

    def choose(self, text):
        """In a focused select2 box: open, search, take the first match."""
        self.press("Enter")
        self.type(text)
        self.page.locator(".select2-results__option--highlighted", has_text=text).wait_for()
        self.press("Enter", f"Auswahl {text}")

    def add_block(self, kind):
        self.tab_to(ADD_BLOCK)
        self.press("Enter", "Block-Menü öffnen")
        self.lands_on(".plugin-buttons .plugin-button")
        for _ in range(4):
            if (
                self.page.evaluate(
                    "() => document.activeElement.querySelector('.plugin-button-title').textContent"
                )
                == kind
            ):
                break
            self.press("ArrowDown")
        self.press("Enter", f"{kind} hinzufügen")


def test_a_release_is_written_reordered_and_submitted_with_the_keyboard_alone(page, site):
    User.objects.create_superuser("redaktion", "redaktion@example.org", PASSWORD)
    keller = make_person(honorific="Dr.", name="Stephan Keller")
    make_image(
        title="Rathaus am Abend", alt_text="Das Rathaus am Abend", caption="Das Rathaus", credit="© Stadt"
    )
    make_contact(name="Erika Mustermann")
    keys = Keyboard(page)
    page.goto(f"{site}/admin/login/?next=/admin/press/pressrelease/add/")
    keys.type("redaktion")  # the login form puts the focus into the user name
    keys.press("Tab")
    keys.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.locator(".order-machine-insert-target.last[tabindex='0']").wait_for(state="attached")

    keys.tab_to("#id_title")
    keys.type("Lichterfest am Rathaus")
    keys.tab_to("#id_lead")
    keys.type("Am Freitag leuchtet das Rathaus.")

    keys.add_block("Text")
    keys.lands_on(".inline-related[id^=press_textblock_set-] [contenteditable=true]")
    keys.type("Ab 18 Uhr gibt es Musik.")

    keys.add_block("Zitat")
    keys.lands_on(".inline-related[id^=press_quoteblock_set-] textarea")
    keys.type("Kommen Sie vorbei!")
    keys.tab_to(".inline-related[id^=press_quoteblock_set-] .select2-selection")
    keys.choose("Keller")

    keys.add_block("Bild")
    keys.lands_on(".inline-related[id^=press_imageblock_set-] .select2-selection")
    keys.choose("Rathaus am Abend")

    # A block added by mistake and removed again: the focus lands on the block before it.
    keys.add_block("Hintergrund")
    keys.lands_on(".inline-related[id^=press_backgroundblock_set-] input[name$=-title]")
    keys.tab_to(".inline-related[id^=press_backgroundblock_set-] .inline-deletelink", backwards=True)
    assert keys.on("[aria-label='Entfernen: Hintergrund 1']")
    keys.press("Enter", "Block entfernen")
    keys.lands_on(".inline-related[id^=press_imageblock_set-] .block-toggle")
    assert page.locator(".inline-related[id^=press_backgroundblock_set-]:not(.empty-form)").count() == 0

    # The image goes above the quote: the focus stays on the button, headings and page order follow.
    keys.tab_to(".inline-related[id^=press_imageblock_set-] .block-up", backwards=True)
    keys.press("Enter", "nach oben")
    keys.lands_on(".inline-related[id^=press_imageblock_set-] .block-up")
    titles = page.locator(".order-machine .inline-related:not(.empty-form) .block-title").all_inner_texts()
    assert titles == [
        "Textblock 1 (neu)",
        "Bild 1: Rathaus am Abend (neu)",
        "Zitat 1 von Dr. Stephan Keller (neu)",
    ]
    page.wait_for_function(  # said to screen-reader users too
        "() => document.querySelector('.order-machine-wrapper [role=status]').textContent"
        " === 'Bild 1: Rathaus am Abend ist jetzt an Stelle 2 von 3.'"
    )
    page.screenshot(path="/tmp/admin-a11y-keyboard.png", full_page=True)

    keys.tab_to("button[name=_transition][value=submit]", backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".errornote").count() == 0, page.locator(".errornote, .errorlist").all_inner_texts()
    release = PressRelease.objects.get(title="Lichterfest am Rathaus")
    assert release.state == PressRelease.State.IN_REVIEW
    body = sorted(
        [(b.ordering, "text") for b in TextBlock.objects.filter(parent=release)]
        + [(b.ordering, f"quote {b.speaker_id}") for b in QuoteBlock.objects.filter(parent=release)]
        + [(b.ordering, "image") for b in ImageBlock.objects.filter(parent=release)]
    )
    assert [kind for _ordering, kind in body] == ["text", "image", f"quote {keller.pk}"]
    assert keys.problems == [], "\n".join(keys.problems)
    assert keys.errors == []
