"""The shared-object journeys in a real browser: Redaktion changes the caption of an image shown by
a published release and is told why not (nothing saved); the spokesperson's change is saved and
logged in the release; an administrator anonymises a withdrawn release through the list action and
its confirmation page."""

import pytest
from django.utils import timezone

from cityhall.library.models import Image
from press.models import AuditEntry, PressRelease, TextBlock
from tests.factories import add_text, make_image, make_release, make_user
from tests.roles import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-123"


def user(name, *groups, **kwargs):
    ensure_roles()
    person = make_user(name, *groups, **kwargs)
    person.set_password(PASSWORD)
    person.save()
    return person


def log_in(page, site, username, next_path):
    page.context.clear_cookies()
    page.goto(f"{site}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()


def test_caption_of_a_live_image_needs_the_spokesperson(page, site, tmp_path):
    user("redakteur", "Redaktion")
    user("sprecherin", "Pressesprecher/in")
    image = make_image(caption="Der Rheinturm am Abend")
    release = make_release(title="Lichterfest am Rhein", image=image)
    url = f"/admin/cityhall/image/{image.pk}/change/"

    log_in(page, site, "redakteur", url)
    page.fill("#id_caption", "Etwas ganz anderes")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    page.screenshot(path=str(tmp_path / "shared-image-refused.png"), full_page=True)
    note = page.locator(".errornote, .errorlist").all_inner_texts()
    assert any("Lichterfest am Rhein" in text and "Pressesprecher" in text for text in note), note
    assert not any("Etwas ganz anderes" in text for text in note), "named as stored"
    assert Image.objects.get(pk=image.pk).caption == "Der Rheinturm am Abend"

    log_in(page, site, "sprecherin", url)
    page.fill("#id_caption", "Der Rheinturm bei Nacht")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert Image.objects.get(pk=image.pk).caption == "Der Rheinturm bei Nacht"
    entry = AuditEntry.objects.get(release=release)
    assert "Bildunterschrift" in entry.note


def test_an_administrator_anonymises_a_withdrawn_release(page, site, tmp_path):
    user("chefin", superuser=True)
    release = make_release(
        title="Falsche Zahlen",
        lead="Vorspann",
        status=PressRelease.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
    )
    add_text(release, "<p>Text</p>")

    log_in(page, site, "chefin", "/admin/press/pressrelease/")
    page.locator("#result_list tr", has_text="Falsche Zahlen").locator("input.action-select").check()
    page.select_option("select[name=action]", "anonymise_selected")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    page.screenshot(path=str(tmp_path / "anonymise-confirm.png"), full_page=True)
    assert "Das lässt sich nicht rückgängig machen" in page.content()
    with page.expect_navigation():
        page.locator("input[value='Ja, anonymisieren']").click()
    page.screenshot(path=str(tmp_path / "anonymise-done.png"), full_page=True)
    assert "ist anonymisiert" in page.locator(".messagelist").inner_text()
    assert not TextBlock.objects.filter(parent=release).exists()
    assert PressRelease.objects.get(pk=release.pk).lead == ""
