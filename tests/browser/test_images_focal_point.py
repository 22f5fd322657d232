"""The focal point of a library image picked by clicking the picture; the number fields stay for the keyboard."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from cityhall.library.imaging import process_upload
from cityhall.library.models import Image
from tests.browser.test_press_officer import log_in
from tests.cityhall import image_files as files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clicking_the_picture_sets_the_focal_point(page, site, tmp_path):
    User.objects.create_superuser("redaktion", "redaktion@example.org", "geheim-123")
    data = files.jpeg(size=(400, 300))
    image = Image.objects.create(
        file=process_upload(SimpleUploadedFile("a.jpg", data, content_type="image/jpeg")).file,
        title="Rheinufer",
        alt_text="Das Rheinufer",
    )
    log_in(page, site, "redaktion", f"/admin/cityhall/image/{image.pk}/change/")
    page.wait_for_load_state("networkidle")
    picture = page.locator(".focal-picker img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.8})

    assert page.locator("#id_focal_x").input_value() == "25"
    assert page.locator("#id_focal_y").input_value() == "80"
    marker = page.locator(".focal-marker")
    assert marker.evaluate("m => m.style.left") == "25%"
    page.fill("#id_focal_y", "10")  # the keyboard's way moves the marker too
    assert marker.evaluate("m => m.style.top") == "10%"
    page.screenshot(path=str(tmp_path / "focal.png"))
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()

    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (25, 10)
