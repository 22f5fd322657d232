"""The editorial day of a small press office in a real browser: Redaktion writes and submits, the one
Pressesprecher/in approves, corrects and publishes. Each test reproduces a step that broke:
the approver's own correction sent the release back to review (and the four-eyes rule then locked
it), a browser's CRLF line ends counted as a change, a release with only a title could go out,
"Jetzt veröffentlichen" scheduled a time typed but not saved, and sending back asked for no reason.
The journey from draft to public counts its clicks and page loads."""

import pkgutil
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

import press.migrations
from press import history
from press.models import AuditEntry, PressRelease, QuoteBlock
from tests.browser.conftest import DESKTOP
from tests.factories import add_quote, add_text, make_contact, make_person, make_release, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = PressRelease.Status
PASSWORD = "geheim-123"
# The journey from draft to public (tests below): about 41 clicks and 16 page loads before.
MAX_CLICKS, MAX_LOADS = 16, 9


class Counter:
    """Counts the clicks (each press of the mouse, also picking from a list) and page loads."""

    def __init__(self, page):
        self.page, self.clicks, self.loads = page, 0, 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def click(self, target):
        locator = self.page.locator(target) if isinstance(target, str) else target
        self.clicks += 1
        locator.click()


def ensure_roles():
    """The roles as the migrations make them (a transactional test before this one emptied them)."""
    roles = import_module("press.migrations.0004_editorial_roles")
    if Group.objects.filter(name=roles.EDITORS, permissions__codename="submit_pressrelease").exists():
        return
    ContentType.objects.clear_cache()  # ids cached before an earlier test emptied the tables
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
    for name, spec in (
        (roles.EDITORS, roles.EDITOR_PERMISSIONS),
        (roles.SPOKESPEOPLE, roles.SPOKESPERSON_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        wanted = {(app, f"{action}_{model}") for app, model, actions in spec for action in actions}
        group.permissions.set(
            p
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        )
    editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))
    for module in sorted(m.name for m in pkgutil.iter_modules(press.migrations.__path__)):
        grant = getattr(import_module(f"press.migrations.{module}"), "grant", None)
        if module > "0004" and grant:
            grant(apps, editor)


def office():
    ensure_roles()
    people = {}
    for name, group in (("redaktion", "Redaktion"), ("sprecherin", "Pressesprecher/in")):
        user = make_user(name, group)
        user.set_password(PASSWORD)
        user.save()
        people[name] = user
    return people


def log_in(page, site, username, next_path, count=None):
    page.context.clear_cookies()
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    (count.click if count else lambda target: page.locator(target).click())("input[type=submit]")
    page.wait_for_load_state()


def step(page, name, count=None):
    button = page.locator(f"button[name=_transition][value={name}]")
    (count.click if count else lambda target: target.click())(button)
    page.wait_for_load_state()


def messages_on(page):
    return page.locator(".messagelist li").all_inner_texts()


def choose(page, select_id, text, count):
    count.click(
        page.locator(f"#{select_id}").locator("xpath=following-sibling::span[contains(@class, 'select2')]")
    )
    page.locator(".select2-container--open .select2-search__field").fill(text)
    count.click(page.locator(".select2-results__option", has_text=text).first)


def approved_release(people, **kwargs):
    """Submitted by Redaktion, approved by the spokesperson: waiting to be published."""
    from press import workflow

    kwargs.setdefault("status", Status.DRAFT)
    kwargs.setdefault("published_at", timezone.now() - timedelta(minutes=5))
    release = make_release(title="Neue Radwege am Rhein", lead="Die Stadt baut zwölf Kilometer.", **kwargs)
    add_text(release, "<p>Der Bau beginnt im Mai.</p>")
    workflow.transition(release, "submit", people["redaktion"])
    workflow.transition(release, "approve", people["sprecherin"])
    release.refresh_from_db()
    return release


def change_url(release):
    return f"/admin/press/pressrelease/{release.pk}/change/"


def test_a_small_office_takes_a_release_from_draft_to_public_and_counts_the_clicks(page, site):
    people = office()
    make_contact(name="Erika Mustermann", role="Pressesprecherin")
    count = Counter(page)

    log_in(page, site, "redaktion", "/admin/press/pressrelease/add/", count)
    page.fill("#id_title", "Sommerfest im Rathaus")
    page.fill("#id_lead", "Am Samstag öffnet das Rathaus für alle.")
    count.click(".order-machine-insert-target.last")
    count.click(".plugin-buttons a[data-plugin-prefix='press_textblock_set']")
    count.click(
        page.locator(".inline-related[id^='press_textblock_set-']:not(.empty-form) [contenteditable=true]")
    )
    page.keyboard.type("Es gibt Musik, Essen und Führungen.")
    step(page, "submit", count)
    assert PressRelease.objects.get().status == Status.IN_REVIEW, messages_on(page)

    release = PressRelease.objects.get()
    log_in(page, site, "sprecherin", change_url(release), count)
    # The checklist says before anyone clicks what publishing still needs.
    assert "kein Pressekontakt" in page.locator("#checkliste").inner_text()
    choose(page, "id_contact", "Erika Mustermann", count)
    page.fill("#id_lead", "Am Samstag öffnet das Rathaus für alle Gäste.")
    step(page, "approve_publish", count)

    release.refresh_from_db()
    assert release.state == PressRelease.State.PUBLISHED, messages_on(page)
    assert release.approved_by == people["sprecherin"] and release.submitted_by == people["redaktion"]
    print(f"\nVom Entwurf bis öffentlich: {count.clicks} Klicks, {count.loads} Seitenaufrufe")
    assert count.clicks <= MAX_CLICKS and count.loads <= MAX_LOADS, (count.clicks, count.loads)


def test_the_approver_corrects_and_publishes_without_being_locked_out(page, site, tmp_path):
    people = office()
    make_contact(name="Erika Mustermann")
    release = approved_release(people)
    count = Counter(page)
    log_in(page, site, "sprecherin", change_url(release), count)
    # Metadata (the missing contact) and a correction of the text, then publish: one step.
    choose(page, "id_contact", "Erika Mustermann", count)
    page.fill("#id_lead", "Die Stadt baut zwanzig Kilometer.")
    step(page, "publish", count)
    page.screenshot(path=str(tmp_path / "approver-correction.png"), full_page=True)

    release.refresh_from_db()
    assert release.state == PressRelease.State.PUBLISHED
    assert release.submitted_by == people["redaktion"]  # still the author's submission
    shown = messages_on(page)
    assert len(shown) == 1, shown  # one outcome, not a warning, an error and "erfolgreich geändert"
    assert "ist veröffentlicht" in shown[0] and "in prüfung" not in shown[0].casefold()
    correction = AuditEntry.objects.filter(release=release, action="approved").latest("pk")
    assert "Vorspann" in correction.note and correction.user == people["sprecherin"]
    versions = list(history.versions_of(release.pk))
    assert any("Bei der Freigabe korrigiert" in v.revision.comment for v in versions)


def test_someone_elses_change_after_approval_needs_a_new_approval(page, site):
    people = office()
    release = approved_release(people)
    log_in(page, site, "redaktion", change_url(release))
    page.fill("#id_lead", "Die Stadt baut zwölf Kilometer Radweg.")
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    assert len(messages_on(page)) == 1 and "erneut freigegeben" in messages_on(page)[0]


def test_an_unchanged_save_in_the_browser_is_no_change_despite_crlf(page, site):
    people = office()
    speaker = make_person(name="Stephan Keller")
    approved = approved_release(people, contact=make_contact())
    add_quote(approved, speaker, text="Erste Zeile.\nZweite Zeile.")
    from press import workflow

    approved.approved_fingerprint = workflow.approval_fingerprint(approved)
    approved.save(update_fields=["approved_fingerprint"])
    # Redaktion (not the approver) saves the approved release without changing anything.
    log_in(page, site, "redaktion", change_url(approved))
    assert "\n" in page.locator("textarea[name$='-text']").first.input_value()
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED, messages_on(page)
    assert not AuditEntry.objects.filter(release=approved, action="back_to_review").exists()
    assert QuoteBlock.objects.get(parent=approved).text == "Erste Zeile.\nZweite Zeile."

    # The spokesperson publishes it, then saves the live release unchanged: nothing recorded.
    workflow.transition(approved, "publish", people["sprecherin"])
    log_in(page, site, "sprecherin", change_url(approved))
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()
    assert not AuditEntry.objects.filter(release=approved, action="edited_live").exists()
    newest, before = list(history.versions_of(approved.pk))[:2]
    assert (
        history.diff(
            history.revision_state(before.revision, approved.pk),
            history.revision_state(newest.revision, approved.pk),
        )
        == []
    )


def test_a_release_with_only_a_title_cannot_be_submitted_and_the_form_says_why(page, site):
    office()
    release = make_release(title="Nur ein Titel", lead="", status=Status.DRAFT)
    log_in(page, site, "redaktion", change_url(release))
    checklist = page.locator("#checkliste").inner_text()
    assert "Vorspann fehlt" in checklist and "Textblock" in checklist  # before anyone clicks
    step(page, "submit")
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    shown = messages_on(page)
    assert len(shown) == 1 and "Vorspann fehlt" in shown[0], shown


def test_publish_buttons_do_what_they_say_with_the_time_in_the_form(page, site, browser):
    people = office()
    release = approved_release(people, contact=make_contact())
    later = timezone.localtime() + timedelta(days=2)
    log_in(page, site, "sprecherin", change_url(release))
    button = page.locator("button[name=_transition][value=publish]")
    assert button.inner_text() == "Jetzt veröffentlichen"
    page.fill("#id_published_at_0", later.strftime("%d.%m.%Y"))
    page.fill("#id_published_at_1", "10:00:00")
    assert button.inner_text().startswith("Für ") and "10:00 Uhr planen" in button.inner_text()
    button.click()
    page.wait_for_load_state()
    release.refresh_from_db()
    assert release.state == PressRelease.State.SCHEDULED, messages_on(page)

    # Without script the button keeps its words: the server refuses instead of doing otherwise.
    other = approved_release(people, contact=make_contact())
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", java_script_enabled=False)
    plain = context.new_page()
    log_in(plain, site, "sprecherin", change_url(other))
    plain.fill("#id_published_at_0", later.strftime("%d.%m.%Y"))
    plain.fill("#id_published_at_1", "10:00:00")
    plain.locator("button[name=_transition][value=publish]", has_text="Jetzt veröffentlichen").click()
    plain.wait_for_load_state()
    other.refresh_from_db()
    shown = messages_on(plain)
    context.close()
    assert other.status == Status.APPROVED
    assert len(shown) == 1 and "Nicht veröffentlicht" in shown[0], shown


def test_sending_back_asks_for_the_reason_and_the_author_reads_it(page, site):
    people = office()
    release = approved_release(people)
    log_in(page, site, "sprecherin", change_url(release))
    step(page, "return")  # no reason: the browser asks for one, nothing is sent
    assert PressRelease.objects.get(pk=release.pk).status == Status.APPROVED
    page.fill("#id__step_note", "Bitte die Kilometerzahl mit dem Tiefbauamt klären.")
    step(page, "return")
    release.refresh_from_db()
    assert release.status == Status.DRAFT, messages_on(page)
    assert AuditEntry.objects.get(release=release, action="returned").note.startswith(
        "Bitte die Kilometerzahl"
    )

    log_in(page, site, "redaktion", change_url(release))
    assert (
        "Bitte die Kilometerzahl mit dem Tiefbauamt klären." in page.locator(".press-returned").inner_text()
    )
