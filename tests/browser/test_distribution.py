"""The Presseverteiler in a real browser: a citizen signs up (axe-core and the Nu Html Checker on every
public page of the list), a spokesperson sends an approved release ahead under embargo and reads the
mailing's report."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from distribution import tokens
from distribution.models import Subscriber
from tests.browser.test_checks import AXE_TAGS, RUN_AXE
from tests.distribution.helpers import all_list, approved_release, people, subscriber, work
from tests.mailserver import running_smtp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "x"


@pytest.fixture
def smtp(settings):
    with running_smtp(settings) as inbox:
        yield inbox


def axe(page, axe_source):
    page.evaluate(axe_source)
    return page.evaluate(RUN_AXE, AXE_TAGS)


def test_a_citizen_signs_up_and_the_pages_pass_axe_and_the_nu_checker(
    page, site, axe_source, vnu_command, tmp_path
):
    all_list()
    page.goto(site + "/presseverteiler/")
    assert page.locator("h1").inner_text() == "Presseverteiler"
    assert axe(page, axe_source) == []
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    assert "Bitte geben Sie Ihre E-Mail-Adresse an." in page.locator("main").inner_text()
    assert axe(page, axe_source) == []

    page.get_by_label("E-Mail-Adresse").fill("leserin@example.org")
    page.get_by_label("Alle Pressemitteilungen").check()
    page.get_by_label("Einmal wöchentlich (Zusammenfassung)").check()
    page.get_by_label(re.compile("Ich möchte Pressemitteilungen")).check()
    page.screenshot(path=tmp_path / "presseverteiler.png", full_page=True)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile("/presseverteiler/angefragt/$"))
    assert page.locator("h1").inner_text() == "Bitte prüfen Sie Ihr Postfach"
    person = Subscriber.objects.get(email="leserin@example.org")
    confirm = f"/presseverteiler/bestaetigen/{tokens.confirm_token(person.consents.get(), person)}/"
    manage = f"/presseverteiler/einstellungen/{tokens.manage_token(person)}/"
    unsubscribe = f"/presseverteiler/abmelden/{tokens.unsubscribe_token(person)}/"

    files = []
    for name, path in (
        ("anmeldung", "/presseverteiler/"),
        ("angefragt", "/presseverteiler/angefragt/"),
        ("bestaetigen", confirm),
        ("einstellungen", manage),
        ("abmelden", unsubscribe),
    ):
        page.goto(site + path)
        assert axe(page, axe_source) == [], name
        file = tmp_path / f"{name}.html"
        file.write_text(page.content(), encoding="utf-8")
        files.append(str(file))
    result = subprocess.run([*vnu_command, *files], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr

    page.goto(site + confirm)
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Anmeldung bestätigt"
    assert Subscriber.objects.get(pk=person.pk).state == Subscriber.State.CONFIRMED


def test_a_spokesperson_sends_ahead_under_embargo_and_reads_the_report(page, site, smtp, tmp_path):
    team = people()
    speaker = team["speaker"]
    speaker.set_password(PASSWORD)
    speaker.save()
    release = approved_release(team, published_at=timezone.now() + timedelta(days=1))
    subscriber("akkreditiert@example.org", accredited=True)

    page.goto(f"{site}/admin/login/?next=/admin/distribution/mailing/")
    page.fill("#id_username", speaker.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Vorab unter Sperrfrist senden").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text=release.title)
    assert "Sperrfrist" in page.locator("#content-main thead").text_content() and "nein" in row.inner_text()
    row.get_by_role("button", name="Vorab senden").click()
    page.wait_for_load_state()
    assert "geht jetzt vorab an die akkreditierte Presse" in page.locator(".messagelist").inner_text()

    work()
    assert len(smtp.to("akkreditiert@example.org")) == 1
    page.reload()
    page.get_by_role("link", name="Bericht").first.click()
    page.wait_for_load_state()
    report = page.locator("#versandbericht").locator("xpath=..")
    assert "Versandbericht (1 Empfänger/innen)" in report.inner_text()
    assert re.search(r"Angenommen\s+1", report.inner_text())
    page.screenshot(path=tmp_path / "versandbericht.png", full_page=True)
