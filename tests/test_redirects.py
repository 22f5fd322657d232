"""Old addresses keep working: a slug change of a public page leaves a permanent redirect, editors
add redirects by hand or from a CSV file, chains collapse, and no redirect leaks a hidden page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityhall.library.redirects import Redirect
from press.models import PressRelease
from tests.factories import make_partnership, make_release, make_user
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db

Status = PressRelease.Status
CHANGELIST = reverse("admin:cityhall_redirect_changelist")
IMPORT = reverse("admin:cityhall_redirect_import")


def assert_redirects(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, (old, response.status_code)
    assert response["Location"] == new


def rename(obj, slug):
    obj = type(obj).objects.get(pk=obj.pk)
    obj.slug = slug
    obj.save()
    return obj


# --- slug changes ---------------------------------------------------------------------------------


def test_slug_change_of_a_public_release_redirects_its_old_address(client):
    release = make_release(title="Neujahrsempfang", slug="neujahrsempfang")
    rename(release, "neujahrsempfang-2026")
    assert_redirects(
        client, "/pressemitteilungen/neujahrsempfang/", "/pressemitteilungen/neujahrsempfang-2026/"
    )
    assert client.get("/pressemitteilungen/neujahrsempfang-2026/").status_code == 200
    assert Redirect.objects.get().automatic


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.DRAFT},
        {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},  # embargoed
    ],
)
def test_slug_change_of_a_release_never_public_leaves_no_trace(client, fields):
    release = make_release(slug="geheim", **fields)
    rename(release, "noch-geheimer")
    assert not Redirect.objects.exists()
    assert client.get("/pressemitteilungen/geheim/").status_code == 404


def test_slug_change_of_a_withdrawn_release_keeps_its_notice_reachable(client):
    release = make_release(slug="falsch")
    PressRelease.objects.filter(pk=release.pk).update(status=Status.WITHDRAWN, withdrawn_at=timezone.now())
    rename(release, "falsche-meldung")
    assert_redirects(client, "/pressemitteilungen/falsch/", "/pressemitteilungen/falsche-meldung/")


def test_chains_collapse_and_changing_back_makes_no_loop(client):
    release = make_release(slug="a")
    rename(release, "b")
    rename(release, "c")
    assert_redirects(client, "/pressemitteilungen/a/", "/pressemitteilungen/c/")
    assert_redirects(client, "/pressemitteilungen/b/", "/pressemitteilungen/c/")
    rename(release, "a")
    assert client.get("/pressemitteilungen/a/").status_code == 200
    assert_redirects(client, "/pressemitteilungen/b/", "/pressemitteilungen/a/")
    assert_redirects(client, "/pressemitteilungen/c/", "/pressemitteilungen/a/")
    assert set(Redirect.objects.values_list("old_path", "new_path")) == {
        ("/pressemitteilungen/b/", "/pressemitteilungen/a/"),
        ("/pressemitteilungen/c/", "/pressemitteilungen/a/"),
    }


def test_a_release_whose_old_slug_was_a_year_goes_to_the_release_not_the_archive(client):
    release = make_release(title="2024")
    assert release.slug == "2024"
    rename(release, "rueckblick-2024")
    assert_redirects(client, "/pressemitteilungen/2024/", "/pressemitteilungen/rueckblick-2024/")


def test_slug_change_in_the_admin_keeps_the_old_address(admin_client, client):
    release = make_release(title="Delegation aus Haifa", slug="haifa")
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    data = form_data(admin_client.get(url))
    data["slug"] = "delegation-aus-haifa"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert PressRelease.objects.get().slug == "delegation-aus-haifa"
    assert_redirects(client, "/pressemitteilungen/haifa/", "/pressemitteilungen/delegation-aus-haifa/")


def test_slug_change_of_a_partnership_redirects_its_old_address(client):
    partnership = make_partnership(partner_city="Haifa")
    assert partnership.slug == "haifa"
    rename(partnership, "haifa-israel")
    assert_redirects(client, "/partnerstaedte/haifa/", "/partnerstaedte/haifa-israel/")
    assert client.get("/partnerstaedte/haifa-israel/").status_code == 200


def test_saving_without_a_slug_change_costs_no_query_for_redirects(django_assert_num_queries):
    release = PressRelease.objects.get(pk=make_release().pk)
    release.lead = "Neu"
    with django_assert_num_queries(1):
        release.save(update_fields=["lead"])


# --- what redirects answer ------------------------------------------------------------------------


def test_a_live_page_wins_over_a_redirect(client):
    make_release(slug="da")
    Redirect.objects.create(old_path="/pressemitteilungen/da/", new_path="/")
    assert client.get("/pressemitteilungen/da/").status_code == 200


def test_a_redirect_to_a_hidden_release_ends_in_its_404(client):
    make_release(title="Geheimer Entwurf", slug="entwurf", status=Status.DRAFT)
    Redirect.objects.create(old_path="/presse/42.html", new_path="/pressemitteilungen/entwurf/")
    response = client.get("/presse/42.html", follow=True)
    assert response.redirect_chain == [("/pressemitteilungen/entwurf/", 301)]
    assert response.status_code == 404
    assert "Geheimer Entwurf" not in response.content.decode()


def test_old_addresses_with_a_query_string_redirect(client):
    Redirect.objects.create(old_path="/presse/meldung.php?id=12", new_path="/pressemitteilungen/")
    assert_redirects(client, "/presse/meldung.php?id=12", "/pressemitteilungen/")
    assert client.get("/presse/meldung.php?id=13").status_code == 404


# --- the model's rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("presse/alt", "/neu/", "old_path"),
        ("https://example.org/alt", "/neu/", "old_path"),
        ("/alt/", "//example.org/", "new_path"),
        ("/alt/", "https://example.org/", "new_path"),
        ("/alt/", "/mit leerzeichen/", "new_path"),
        ("/alt/", "/../admin/", "new_path"),
        ("/alt/", "/alt/", "new_path"),
    ],
)
def test_bad_redirects_are_refused_by_full_clean(old, new, field):
    with pytest.raises(ValidationError) as caught:
        Redirect(old_path=old, new_path=new).full_clean()
    assert field in caught.value.message_dict


def test_a_redirect_that_would_loop_is_refused():
    Redirect.objects.create(old_path="/a/", new_path="/b/")
    with pytest.raises(ValidationError) as caught:
        Redirect(old_path="/b/", new_path="/a/").full_clean()
    assert caught.value.message_dict["new_path"] == [
        "Diese Weiterleitung ergäbe einen Kreis: die neue Adresse führt zurück."
    ]


def test_manual_redirects_collapse_chains_both_ways():
    Redirect.objects.create(old_path="/a/", new_path="/b/")
    Redirect.objects.create(old_path="/b/", new_path="/c/")
    Redirect.objects.create(old_path="/x/", new_path="/a/")
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/a/": "/c/",
        "/b/": "/c/",
        "/x/": "/c/",
    }


# --- the admin: list, add by hand, CSV import, permissions ----------------------------------------


def test_editor_adds_a_redirect_by_hand(client):
    client.force_login(make_user("redakteurin", "Redaktion"))
    url = reverse("admin:cityhall_redirect_add")
    response = client.post(url, {"old_path": "/presse/alt.html", "new_path": "/pressemitteilungen/"})
    assert response.status_code == 302
    assert Redirect.objects.get().new_path == "/pressemitteilungen/"
    assert IMPORT.encode() in client.get(CHANGELIST).content
    response = client.post(url, {"old_path": "/pressemitteilungen/", "new_path": "/presse/alt.html"})
    assert "ergäbe einen Kreis" in response.content.decode()


@pytest.mark.parametrize("groups", [(), ("Partnerschaften",)])
def test_only_the_press_roles_manage_redirects(client, groups):
    client.force_login(make_user("andere", *groups))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(IMPORT).status_code == 403
    response = client.post(IMPORT, {"file": csv_file("/a/,/b/\n")})
    assert response.status_code == 403
    assert not Redirect.objects.exists()


@pytest.mark.parametrize("role", ["Redaktion", "Pressesprecher/in"])
def test_press_roles_have_the_redirect_permissions(role):
    user = make_user("jemand", role)
    assert {
        f"cityhall.{a}_redirect" for a in ("add", "change", "delete", "view")
    } <= user.get_all_permissions()


def csv_file(text, name="weiterleitungen.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_csv_import_takes_every_row(admin_client, client):
    Redirect.objects.create(old_path="/presse/1.html", new_path="/alt/")
    text = (
        "alte Adresse,neue Adresse\n"
        "/presse/1.html,/pressemitteilungen/\n"
        "\n"
        "/presse/meldung.php?id=2,/pressemitteilungen/schlagwort/kultur/\n"
    )
    response = admin_client.post(IMPORT, {"file": csv_file(text)}, follow=True)
    assert response.redirect_chain == [(CHANGELIST, 302)]
    assert "2 Weiterleitungen übernommen." in response.content.decode()
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/presse/1.html": "/pressemitteilungen/",
        "/presse/meldung.php?id=2": "/pressemitteilungen/schlagwort/kultur/",
    }
    assert_redirects(client, "/presse/meldung.php?id=2", "/pressemitteilungen/schlagwort/kultur/")


def test_csv_import_with_semicolons_and_a_byte_order_mark(admin_client):
    upload = SimpleUploadedFile("w.csv", "\ufeff/alt/;/neu/\r\n".encode(), content_type="text/csv")
    admin_client.post(IMPORT, {"file": upload})
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {"/alt/": "/neu/"}


def test_csv_import_with_a_bad_row_saves_nothing_and_names_each_line(admin_client):
    text = (
        "/gut/,/pressemitteilungen/\n"
        "kein-pfad,/pressemitteilungen/\n"
        "/drei/,/vier/,/fuenf/\n"
        "/gut/,/doppelt/\n"
        "/kreis-a/,/kreis-b/\n"
        "/kreis-b/,/kreis-a/\n"
    )
    response = admin_client.post(IMPORT, {"file": csv_file(text)})
    assert response.status_code == 200
    assert not Redirect.objects.exists()
    errors = [
        li.strip()
        for li in response.content.decode().split('id="import-errors"')[1].split("</ul>")[0].split("<li>")[1:]
    ]
    assert [error.split(":")[0] for error in errors] == [
        "Zeile 2",
        "Zeile 3",
        "Zeile 4",
        "Zeile 5",
        "Zeile 6",
    ]
    assert errors[0].startswith("Zeile 2: alte Adresse: Bitte eine Adresse auf dieser Website angeben")
    assert errors[1] == "Zeile 3: Bitte genau zwei Spalten: alte Adresse, neue Adresse.</li>"
    assert errors[2] == "Zeile 4: Die alte Adresse steht schon in Zeile 1.</li>"
    assert "Nichts übernommen" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Die übertragene Datei ist leer."),
        ("\xe4".encode("latin-1"), "nicht in UTF-8"),
        (b"\n\n", "keine Weiterleitungen"),
    ],
)
def test_csv_import_of_an_unusable_file_is_a_form_error(admin_client, content, message):
    upload = SimpleUploadedFile("w.csv", content, content_type="text/csv")
    response = admin_client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Redirect.objects.exists()
