"""Several images at once: the bulk upload takes many files, refuses what is no image, and lists each accepted
one to complete (alternative text, credit) before it becomes a library image."""

import pytest
from django.contrib.auth.models import User

from cityhall.library.models import Image
from tests.browser.test_press_officer import log_in
from tests.cityhall import image_files as files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bulk_upload_with_a_credit_check_for_each_image(page, site, tmp_path):
    User.objects.create_superuser("redaktion", "redaktion@example.org", "geheim-123")
    paths = []
    for name, data in [
        ("pressefoto.jpg", files.press_photo()),
        ("ohne-angaben.jpg", files.jpeg(size=(200, 150), color=(9, 9, 9))),
        ("brief.jpg", b"Kein Bild, nur Text."),
    ]:
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    log_in(page, site, "redaktion", "/admin/cityhall/image/")
    page.get_by_role("link", name="Mehrere Bilder hochladen").click()
    page.set_input_files("#id_files", paths)
    page.locator("input[name=_hochladen]").click()
    page.wait_for_load_state()

    assert "brief.jpg: Datei ist kein Bild" in page.locator("#bulk-problems").inner_text()
    rows = page.locator("tr.bulk-row")
    assert rows.count() == 2
    photo = rows.filter(has_text="pressefoto.jpg")
    assert photo.locator("input[name$='-credit']").input_value() == files.PRESS_CREDIT
    photo.locator("input[name$='-alt_text']").fill("Der Oberbürgermeister am Rednerpult")
    rows.filter(has_text="ohne-angaben.jpg").locator("input[name$='-alt_text']").fill("Eine dunkle Fläche")
    page.locator("input[name=_speichern]").click()
    page.wait_for_load_state()

    assert "1 Bild gespeichert." in page.locator(".messagelist").inner_text()
    assert Image.objects.get().credit == files.PRESS_CREDIT
    left = page.locator("tr.bulk-row")
    assert left.count() == 1
    assert "Bitte einen Bildnachweis angeben." in left.inner_text()
    page.screenshot(path=str(tmp_path / "bulk.png"), full_page=True)
    left.locator("input[name$='-credit']").fill("© Landeshauptstadt Düsseldorf")
    page.locator("input[name=_speichern]").click()
    page.wait_for_url(f"{site}/admin/cityhall/image/")

    assert sorted(Image.objects.values_list("alt_text", flat=True)) == [
        "Der Oberbürgermeister am Rednerpult",
        "Eine dunkle Fläche",
    ]
    image = Image.objects.get(alt_text="Eine dunkle Fläche")
    assert image.content_hash and image.width == 200 and image.uploaded_by.username == "redaktion"
