"""Links in rich text to our own pages: the link dialog's search (press.admin.links), the editor's
configuration handed down from the settings, and links that keep working when a slug changes."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils.html import escape as html_escape

from cityhall.library.models import Redirect
from cityhall.library.richtext import sanitize_html
from press.models import PressRelease
from tests.factories import add_background, add_text, make_partnership, make_release, make_user

pytestmark = pytest.mark.django_db
URL = "/admin/press/pressrelease/links/"


def results(client, q):
    answer = client.get(URL, {"q": q})
    assert answer.status_code == 200, answer
    return answer.json()["results"]


def test_the_search_finds_releases_in_any_state_marked_with_it_and_partnerships(client):
    make_release(title="Sommerfest am Rhein")
    make_release(title="Sommerfest: Programm", status=PressRelease.Status.DRAFT)
    make_release(title="Haushalt 2026")
    make_partnership(partner_city="Sommerhausen")
    client.force_login(make_user("redaktion", "Redaktion"))

    found = results(client, "sommer")
    by_title = {result["title"]: result for result in found}
    assert set(by_title) == {"Sommerfest am Rhein", "Sommerfest: Programm", "Sommerhausen"}
    assert by_title["Sommerfest: Programm"]["state"] == "Entwurf"
    assert by_title["Sommerfest am Rhein"]["state"] == "Veröffentlicht"
    assert by_title["Sommerfest am Rhein"]["url"] == "/pressemitteilungen/sommerfest-am-rhein/"
    assert by_title["Sommerhausen"] == {
        "title": "Sommerhausen",
        "url": "/partnerstaedte/sommerhausen/",
        "kind": "Städtepartnerschaft",
        "state": "",
    }
    assert results(client, "s") == []  # at least two letters
    assert results(client, "  ") == []


def test_the_permission_is_asked_first(client, django_assert_num_queries):
    make_release(title="Sommerfest am Rhein")
    make_partnership(partner_city="Sommerhausen")
    staff = make_user("gast", is_staff=True)
    client.force_login(staff)
    assert client.get(URL, {"q": "sommer"}).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="change_partnership"))
    partner_editor = Client()
    partner_editor.force_login(staff)
    assert [r["title"] for r in results(partner_editor, "sommer")] == ["Sommerhausen"]  # no releases

    anonymous = Client()
    assert anonymous.get(URL, {"q": "sommer"}).status_code == 302
    assert Client().post(URL).status_code == 302


def test_the_editor_is_configured_from_the_top(client):
    client.force_login(make_user("chefin", superuser=True))
    wanted = html_escape('"linkTargetsUrl":"/admin/press/pressrelease/links/"')
    html = client.get(reverse("admin:press_pressrelease_add")).content.decode()
    assert html_escape("admin/press/editor_links.js") in html  # in the editor's list of modules
    assert wanted in html
    partnership = client.get(reverse("admin:partnerships_partnership_add")).content.decode()
    assert wanted in partnership


def test_without_the_setting_the_editor_has_no_search(settings):
    from cityhall.library.richtext import _link_targets_url

    settings.RICHTEXT_LINK_TARGETS_URL = ""
    assert _link_targets_url() == ""
    settings.RICHTEXT_LINK_TARGETS_URL = "nicht:vorhanden"
    assert _link_targets_url() == ""


def test_a_link_to_our_page_survives_the_sanitiser():
    html = '<p>Siehe <a href="/pressemitteilungen/sommerfest/" title="Sommerfest">das Sommerfest</a>.</p>'
    assert sanitize_html(html) == html


def link_to(path):
    return f'<p>Siehe <a href="{path}">die Mitteilung</a>.</p>'


def rename(obj, slug):
    obj.slug = slug
    obj.save()


def test_a_public_release_renamed_redirects_and_the_link_still_resolves(client):
    target = make_release(title="Sommerfest", slug="sommerfest")
    source = make_release(title="Programm")
    add_text(source, link_to("/pressemitteilungen/sommerfest/"))
    rename(PressRelease.objects.get(pk=target.pk), "sommerfest-2026")
    answer = client.get("/pressemitteilungen/sommerfest/")
    assert answer.status_code == 301 and answer["Location"] == "/pressemitteilungen/sommerfest-2026/"


def test_a_linked_draft_renamed_keeps_its_old_address_for_the_link():
    target = make_release(title="Sommerfest", slug="sommerfest", status=PressRelease.Status.DRAFT)
    source = make_release(title="Programm", status=PressRelease.Status.DRAFT)
    add_background(source, html=link_to("/pressemitteilungen/sommerfest/"))
    rename(PressRelease.objects.get(pk=target.pk), "sommerfest-2026")
    redirect = Redirect.objects.get(old_path="/pressemitteilungen/sommerfest/")
    assert redirect.new_path == "/pressemitteilungen/sommerfest-2026/"
    rename(PressRelease.objects.get(pk=target.pk), "fest")  # chains collapse
    assert (
        Redirect.objects.get(old_path="/pressemitteilungen/sommerfest/").new_path
        == "/pressemitteilungen/fest/"
    )


def test_an_unlinked_draft_renamed_leaves_no_redirect():
    target = make_release(title="Geheim", slug="geheim", status=PressRelease.Status.DRAFT)
    rename(target, "noch-geheimer")
    assert not Redirect.objects.exists()


def test_a_partnership_linked_from_a_partnership_description():
    target = make_partnership(partner_city="Haifa")
    make_partnership(partner_city="Reading", description=link_to(target.get_absolute_url()))
    old = target.get_absolute_url()
    rename(target, "haifa-israel")
    assert Redirect.objects.get(old_path=old).new_path == "/partnerstaedte/haifa-israel/"
