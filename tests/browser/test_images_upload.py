"""Uploading press photos in a real browser: from the release form's "+" next to the lead image (Django's
related-object popup) with a JPEG that carries IPTC, XMP and EXIF, as nearly every camera or agency photo
does. The popup must come back to the release with the new image chosen, the credit must be the whole one."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from cityhall.library.imaging import process_upload
from cityhall.library.models import Image, License
from tests.browser.test_press_officer import log_in
from tests.cityhall import image_files as files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PRESS_LICENCE = "Pressefoto: honorarfrei zur Berichterstattung"


def upload_in_popup(page, tmp_path, data, name="pressefoto.jpg", alt="Der Oberbürgermeister am Rednerpult"):
    """Click "+" next to Aufmacherbild, upload ``data`` in the popup and save once; returns the popup."""
    path = tmp_path / name
    path.write_bytes(data)
    with page.expect_popup() as popup_info:
        page.locator("#add_id_image").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.set_input_files("#id_file", str(path))
    popup.fill("#id_alt_text", alt)
    popup.locator("input[name=_save]").click()
    return popup


def chosen_image(page):
    return page.locator("#id_image").evaluate("select => select.value")


def test_photo_with_metadata_uploaded_from_the_release_form_becomes_its_image(page, site, tmp_path):
    User.objects.create_superuser("redaktion", "redaktion@example.org", "geheim-123")
    License.objects.get_or_create(name=PRESS_LICENCE)
    log_in(page, site, "redaktion", "/admin/press/pressrelease/add/")

    popup = upload_in_popup(page, tmp_path, files.press_photo())
    # As the editor looks at the form: its previews (renditions made on first request) have arrived.
    popup.wait_for_load_state("networkidle")
    # The editor is asked to check what was taken from the file, still inside the popup.
    notice = popup.locator(".messagelist").inner_text()
    assert "Aus den Angaben in der Bilddatei übernommen" in notice
    credit = popup.locator("#id_credit")
    assert credit.input_value() == files.PRESS_CREDIT  # the whole credit (XMP), not IPTC's 32 bytes
    assert credit.evaluate("input => input.scrollWidth <= input.clientWidth")  # readable in full
    assert popup.locator("#id_license option:checked").inner_text() == PRESS_LICENCE
    popup.screenshot(path=str(tmp_path / "popup-check.png"), full_page=True)

    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()

    image = Image.objects.get()
    assert image.credit == files.PRESS_CREDIT
    page.wait_for_function("id => document.querySelector('#id_image').value === id", arg=str(image.pk))
    assert chosen_image(page) == str(image.pk)
    page.screenshot(path=str(tmp_path / "release-with-image.png"))


def test_photo_without_metadata_uploaded_from_the_release_form_becomes_its_image(page, site, tmp_path):
    User.objects.create_superuser("redaktion", "redaktion@example.org", "geheim-123")
    log_in(page, site, "redaktion", "/admin/press/pressrelease/add/")

    popup = upload_in_popup(page, tmp_path, files.jpeg(size=(320, 240)), name="ohne.jpg")
    popup.wait_for_event("close")

    image = Image.objects.get()
    page.wait_for_function("id => document.querySelector('#id_image').value === id", arg=str(image.pk))


def test_the_same_photo_twice_offers_the_one_in_the_library(page, site, tmp_path):
    User.objects.create_superuser("redaktion", "redaktion@example.org", "geheim-123")
    data = files.jpeg(size=(320, 240), color=(200, 80, 10))
    cleaned = process_upload(SimpleUploadedFile("rathaus.jpg", data, content_type="image/jpeg"))
    existing = Image.objects.create(file=cleaned.file, title="Rathaus im Abendlicht", alt_text="Das Rathaus")
    log_in(page, site, "redaktion", "/admin/press/pressrelease/add/")

    popup = upload_in_popup(page, tmp_path, data, name="rathaus-nochmal.jpg")
    popup.wait_for_load_state()
    error = popup.locator(".field-file .errorlist")
    assert "schon in der Bildbibliothek: „Rathaus im Abendlicht“" in error.inner_text()
    with popup.expect_event("close"):
        error.get_by_role("link", name="Vorhandenes Bild übernehmen").click()

    assert Image.objects.count() == 1
    page.wait_for_function("id => document.querySelector('#id_image').value === id", arg=str(existing.pk))
