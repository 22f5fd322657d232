"""A press officer in a real browser: logs into the admin, writes a release with an image, a quote and a
background box, has it published, and sees it on the public site.

Publishing follows whatever path the admin offers: the workflow's steps (submit → approve by a second
person, four eyes → publish) where there are step buttons, a status field otherwise."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from cityhall.library.models import Office
from press.models import PressRelease
from tests.browser.content import PHOTO
from tests.factories import make_contact, make_image, make_partnership, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "Jugendaustausch mit Chemnitz startet"
STEPS = ["submit", "approve", "publish"]  # the workflow's step names (press.workflow.TRANSITIONS)


def log_in(page, site, username, next_path):
    page.context.clear_cookies()
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "geheim-123")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


def choose(page, select_id, text):
    """Pick ``text`` in a select, also when the admin made it an autocomplete (select2)."""
    select = page.locator(f"#{select_id}")
    if "admin-autocomplete" in (select.get_attribute("class") or ""):
        select.locator("xpath=following-sibling::span[contains(@class, 'select2')]").first.click()
        page.locator(".select2-container--open .select2-search__field").fill(text)
        page.locator(".select2-results__option", has_text=text).first.click()
    else:
        select.select_option(label=re.compile(re.escape(text)))


def add_block(page, prefix):
    page.locator(".order-machine-insert-target.last").click()
    page.locator(f".plugin-buttons a[data-plugin-prefix='{prefix}']").click()
    forms = page.locator(f".inline-related[id^='{prefix}-']:not(.empty-form)")
    return forms.last


def test_press_officer_writes_and_publishes_a_release(page, site):
    for name in ("redaktion", "sprecherin"):
        User.objects.create_superuser(name, f"{name}@example.org", "geheim-123")
    make_image(
        title="Jugendgruppe am Rathaus",
        alt_text="Jugendliche aus Düsseldorf und Chemnitz vor dem Rathaus",
        caption="Die erste Gruppe vor dem Rathaus",
        credit="© Landeshauptstadt Düsseldorf",
        file=ContentFile(PHOTO.read_bytes(), name="jugend.jpg"),
    )
    keller = make_person(honorific="Dr.", name="Stephan Keller")
    Office.objects.create(
        person=keller,
        role="Oberbürgermeister",
        organisation="Landeshauptstadt Düsseldorf",
        start=date(2020, 11, 1),
    )
    make_contact(name="Erika Mustermann", role="Pressesprecherin")
    make_partnership(partner_city="Chemnitz")

    log_in(page, site, "redaktion", "/admin/press/pressrelease/add/")
    page.fill("#id_kicker", "Internationales")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "Zwanzig Jugendliche aus Düsseldorf fahren in die Partnerstadt Chemnitz.")
    choose(page, "id_image", "Jugendgruppe am Rathaus")
    choose(page, "id_contact", "Erika Mustermann")

    quote = add_block(page, "press_quoteblock_set")
    quote.locator("textarea[name$='-text']").fill("Austausch beginnt mit Begegnung.")
    choose(page, quote.locator("select[name$='-speaker']").get_attribute("id"), "Stephan Keller")

    text = add_block(page, "press_textblock_set")
    text.locator("[contenteditable=true]").click()
    page.keyboard.type("Die Gruppe fährt im Juli.")

    background = add_block(page, "press_backgroundblock_set")
    background.locator("input[name$='-title']").fill("Hintergrund Städtepartnerschaft")
    background.locator("[contenteditable=true]").click()
    page.keyboard.type("Düsseldorf und Chemnitz sind seit 1988 Partnerstädte.")

    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert errors == [], errors
    release = PressRelease.objects.get(title=TITLE)

    publish(page, site, release)
    assert PressRelease.objects.published().filter(pk=release.pk).exists()

    page.context.clear_cookies()
    page.goto(site + "/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(re.escape(release.get_absolute_url()) + "$"))
    article = page.locator("article.release")
    assert article.locator("h1").inner_text() == TITLE
    assert "„Austausch beginnt mit Begegnung.“" in article.locator("blockquote").inner_text()
    assert "Oberbürgermeister" in article.locator(".quote figcaption").inner_text()
    assert article.locator("aside.background h2").inner_text() == "Hintergrund Städtepartnerschaft"
    image = article.locator("figure img").first
    assert image.get_attribute("alt") == "Jugendliche aus Düsseldorf und Chemnitz vor dem Rathaus"
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "© Landeshauptstadt Düsseldorf" in article.locator("figure").first.inner_text()


def publish(page, site, release):
    change = f"/admin/press/pressrelease/{release.pk}/change/"
    if page.locator("button[name=_transition]").count() == 0:
        # No workflow steps: the status is a field of the form.
        page.locator("#id_status").select_option("published")
        page.locator("input[name=_continue]").first.click()
        page.wait_for_load_state()
        return
    users = iter(["redaktion", "sprecherin"])
    user = next(users)
    for step in STEPS:
        button = page.locator(f"button[name=_transition][value={step}]")
        if button.count() == 0:
            # This person may not take the step (e.g. approve what they submitted): the colleague does.
            user = next(users)
            log_in(page, site, user, change)
            button = page.locator(f"button[name=_transition][value={step}]")
        assert button.count() == 1, (step, page.locator(".messagelist").all_inner_texts())
        button.click()
        page.wait_for_load_state()
        problems = page.locator(".messagelist .error, .errornote").all_inner_texts()
        if problems and step == "approve" and user == "redaktion":
            user = next(users)
            log_in(page, site, user, change)
            page.locator(f"button[name=_transition][value={step}]").click()
            page.wait_for_load_state()
            problems = page.locator(".messagelist .error, .errornote").all_inner_texts()
        assert problems == [], (step, problems)


def test_press_officer_restores_an_earlier_version_from_the_history(page, site, tmp_path):
    User.objects.create_superuser("sprecherin", "sprecherin@example.org", "geheim-123")
    release = PressRelease.objects.create(
        title="Neue Radwege am Rhein",
        lead="Die Stadt baut zwölf Kilometer Radweg.",
        status=PressRelease.Status.DRAFT,
    )
    change = f"/admin/press/pressrelease/{release.pk}/change/"
    log_in(page, site, "sprecherin", change)
    page.fill("#id_lead", "Die Stadt baut zwölf Kilometer Radweg.")
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    page.fill("#id_lead", "Die Stadt baut zwanzig Kilometer Radweg.")
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    assert PressRelease.objects.get(pk=release.pk).lead == "Die Stadt baut zwanzig Kilometer Radweg."

    page.goto(f"{site}/admin/press/pressrelease/{release.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    assert rows.count() == 2
    rows.last.locator("a").click()  # the earlier version (newest first)
    page.wait_for_load_state()
    diff = page.locator("table.press-diff").last
    assert "zwölf" in diff.inner_text() and "zwanzig" in diff.inner_text()
    page.screenshot(path=str(tmp_path / "revision.png"), full_page=True)
    page.locator("input[type=submit][value='Diese Fassung wiederherstellen']").click()
    page.wait_for_load_state()

    assert page.url.endswith(change)
    assert "ist wiederhergestellt" in page.locator(".messagelist").inner_text()
    assert page.locator("#id_lead").input_value() == "Die Stadt baut zwölf Kilometer Radweg."
    release.refresh_from_db()
    assert release.lead == "Die Stadt baut zwölf Kilometer Radweg."
    assert release.version == 4
