"""An editor in a real browser keeps old addresses working: adds a redirect by hand in the admin,
imports a CSV file from the old CMS (first with a mistake, which saves nothing), and the old addresses
lead to the new pages."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from cityhall.library.redirects import Redirect
from tests.factories import make_release

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_adds_and_imports_redirects(page, site, tmp_path):
    editor = User.objects.create_user("redakteurin", "r@example.org", "geheim-123", is_staff=True)
    # The role's redirect permissions (press/migrations/0006); transactional tests flush the groups.
    role, _ = Group.objects.get_or_create(name="Redaktion")
    role.permissions.add(
        *Permission.objects.filter(content_type__app_label="cityhall", codename__endswith="_redirect")
    )
    editor.groups.add(role)
    make_release(title="Neujahrsempfang im Rathaus", slug="neujahrsempfang")
    make_release(title="Städtepartnerschaft mit Haifa", slug="haifa")

    page.goto(f"{site}/admin/login/?next=/admin/cityhall/redirect/")
    page.fill("#id_username", "redakteurin")
    page.fill("#id_password", "geheim-123")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Weiterleitung zur Änderung auswählen"

    # By hand.
    page.locator(".object-tools a.addlink", has_text="hinzufügen").click()
    page.fill("#id_old_path", "/presse/neujahr.html")
    page.fill("#id_new_path", "/pressemitteilungen/neujahrsempfang/")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert "/presse/neujahr.html" in page.locator("#result_list").inner_text()

    # From a CSV file: a mistake in line 2 saves nothing and says where.
    page.locator(".object-tools a", has_text="Aus CSV importieren").click()
    bad = tmp_path / "alt.csv"
    bad.write_text("alte Adresse,neue Adresse\nhaifa.html,/pressemitteilungen/haifa/\n", encoding="utf-8")
    page.set_input_files("#id_file", str(bad))
    page.locator("input[type=submit][value=Importieren]").click()
    page.wait_for_load_state()
    errors = page.locator("#import-errors").inner_text()
    assert "Nichts übernommen" in errors
    assert "Zeile 2: alte Adresse: Bitte eine Adresse auf dieser Website angeben" in errors
    page.screenshot(path=str(tmp_path / "redirect-import-errors.png"), full_page=True)
    assert Redirect.objects.count() == 1

    good = tmp_path / "neu.csv"
    good.write_text(
        "alte Adresse,neue Adresse\n/presse/haifa.html,/pressemitteilungen/haifa/\n"
        "/presse/index.php?id=7,/pressemitteilungen/\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_file", str(good))
    page.locator("input[type=submit][value=Importieren]").click()
    page.wait_for_load_state()
    assert "2 Weiterleitungen übernommen." in page.locator(".messagelist").inner_text()
    page.screenshot(path=str(tmp_path / "redirect-list.png"), full_page=True)
    assert Redirect.objects.count() == 3

    # The old addresses lead to the new pages.
    page.goto(f"{site}/presse/haifa.html")
    assert page.url == f"{site}/pressemitteilungen/haifa/"
    assert page.locator("h1").inner_text() == "Städtepartnerschaft mit Haifa"
    page.goto(f"{site}/presse/neujahr.html")
    assert page.locator("h1").inner_text() == "Neujahrsempfang im Rathaus"
