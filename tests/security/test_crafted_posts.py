"""Crafted POSTs that skip the UI, and size and date extremes: each is answered without a 500 and
changes nothing it may not. Counted in the figures."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from cityhall.library.models import Image
from press.models import PressRelease
from tests.factories import add_image, add_text, make_contact, make_image, make_release, make_user
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db
Status = PressRelease.Status


def test_crafted_posts_change_nothing_they_may_not(client, tally):
    image = make_image(caption="Stadttor")
    live = make_release(title="Live", image=image, contact=make_contact())
    add_text(live)
    block_image = make_image(credit="Foto: Stadt")
    add_image(live, block_image)
    withdrawn = make_release(status=Status.WITHDRAWN, withdrawn_at=timezone.now(), lead="Bleibt")
    editor = make_user("redakteur", "Redaktion")
    partner = make_user("partner", "Partnerschaften")
    staff = make_user("nur-personal")

    def expect(what, response, unchanged):
        tally.check(
            "crafted: POST", response.status_code < 500 and unchanged(), f"{what}: {response.status_code}"
        )

    client.force_login(editor)
    url = f"/admin/cityhall/image/{image.pk}/change/"
    data = form_data(client.get(url), "image_form")
    for field, value in (("caption", "x"), ("credit", "y"), ("alt_text", "z"), ("decorative", "on")):
        response = client.post(url, {**data, field: value})
        expect(
            f"Redaktion image {field}", response, lambda: Image.objects.get(pk=image.pk).caption == "Stadttor"
        )
    release_url = f"/admin/press/pressrelease/{live.pk}/change/"
    response = client.post(release_url, {**form_data(client.get(release_url)), "title": "Umgeschrieben"})
    expect(
        "Redaktion edits a live release",
        response,
        lambda: PressRelease.objects.get(pk=live.pk).title == "Live",
    )
    response = client.post(f"/admin/press/pressrelease/{withdrawn.pk}/delete/", {"post": "yes"})
    expect(
        "Redaktion deletes withdrawn", response, lambda: PressRelease.objects.filter(pk=withdrawn.pk).exists()
    )
    for user in (editor, partner, staff):
        client.force_login(user)
        response = client.post(
            "/admin/press/pressrelease/",
            {
                "action": "anonymise_selected",
                ACTION_CHECKBOX_NAME: [withdrawn.pk],
                "anonymise_confirmed": "ja",
            },
        )
        expect(
            f"{user} anonymises", response, lambda: PressRelease.objects.get(pk=withdrawn.pk).lead == "Bleibt"
        )
    client.force_login(partner)
    url = f"/admin/cityhall/image/{block_image.pk}/change/"
    response = client.post(url, {**form_data(client.get(url), "image_form"), "credit": "anders"})
    expect(
        "Partnerschaften block image credit",
        response,
        lambda: Image.objects.get(pk=block_image.pk).credit == "Foto: Stadt",
    )
    response = client.post(release_url, {"title": "x"})
    expect(
        "Partnerschaften posts a release",
        response,
        lambda: PressRelease.objects.get(pk=live.pk).title == "Live",
    )
    tally.assert_held()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "a" * 10_000},
        {"q": "\x00"},
        {"page": "99999999999999999999"},
        {"page": "-1"},
        {"q": "<script>", "page": "abc"},
    ],
)
def test_search_extremes_are_answered(client, tally, query):
    make_release(title="Rheinufer")
    response = client.get("/suche/", query)
    tally.check(
        "extremes: size and date", response.status_code in (200, 400, 404), f"{query}: {response.status_code}"
    )
    tally.assert_held()


@pytest.mark.parametrize("year", ["0", "1", "1799", "2200", "9999", "99999999999999999999"])
def test_archive_years_out_of_range_are_404_not_500(client, tally, year):
    response = client.get(f"/pressemitteilungen/archiv/{year}/")
    tally.check(
        "extremes: size and date", response.status_code in (404, 400), f"{year}: {response.status_code}"
    )
    tally.assert_held()


def test_far_future_release_is_not_public(client, tally):
    release = make_release(title="Ganz spät", published_at=timezone.now() + timedelta(days=365 * 170))
    tally.check(
        "extremes: size and date", client.get(release.get_absolute_url()).status_code == 404, "year 2196"
    )
    tally.check(
        "extremes: size and date", b"Ganz sp" not in client.get("/pressemitteilungen/").content, "list"
    )
    tally.assert_held()
