"""The Bildnachweis page (image credits) and the press-photo downloads on a release page."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cityhall.library import renditions
from cityhall.library.models import License
from press.models import PressRelease
from press.visibility import public_images
from tests.factories import add_image, image_bytes, make_image, make_partnership, make_release
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

CREDITS_URL = "/bildnachweis/"
YESTERDAY = datetime.timedelta(days=-1)


def photo(**kwargs):
    return make_image(file=ContentFile(image_bytes(size=(600, 400)), name="foto.jpg"), **kwargs)


def listed(client, url=CREDITS_URL):
    response = client.get(url)
    assert response.status_code == 200
    doc = parse(response.content)
    return {
        int(item.attrs["id"].removeprefix("bild-")): item
        for item in doc.find_all("li", class_="credits__item")
    }


def test_credits_page_lists_exactly_the_images_shown_publicly(client):
    lead = photo(credit="Foto: Lead")
    in_block = photo(credit="Foto: Block")
    on_partnership_page = photo(credit="Foto: Partnerschaft")
    shown_twice = photo(credit="Foto: Zweimal")
    release = make_release(image=lead, title="Öffentlich")
    add_image(release, in_block)
    add_image(release, shown_twice)
    make_release(image=shown_twice, title="Auch öffentlich")
    make_partnership(partner_city="Chemnitz", image=on_partnership_page)

    only_in_draft = photo()
    make_release(image=only_in_draft, status=PressRelease.Status.DRAFT)
    embargoed = photo()
    add_image(make_release(published_at=timezone.now() + datetime.timedelta(hours=2)), embargoed)
    expired = photo(rights_expire_on=timezone.localdate() + YESTERDAY)
    make_release(image=expired)
    photo()  # in the library only

    public = {lead.pk, in_block.pk, on_partnership_page.pk, shown_twice.pk}
    assert set(listed(client)) == public
    assert set(public_images().values_list("pk", flat=True)) == public


def test_each_entry_names_credit_holder_photographer_licence_and_where_it_is_used(client):
    licence = License.objects.get(name="CC BY 4.0")
    image = photo(
        credit="Foto: Landeshauptstadt Düsseldorf/Malte Krudewig",
        copyright_holder="Landeshauptstadt Düsseldorf",
        photographer="Malte Krudewig",
        license=licence,
    )
    older = make_release(
        image=image, title="Ältere", published_at=timezone.now() - datetime.timedelta(days=3)
    )
    newer = make_release(title="Neuere")
    add_image(newer, image)
    add_image(newer, image)  # twice in one release: named once
    partnership = make_partnership(partner_city="Haifa", image=image)

    item = listed(client)[image.pk]
    facts = dict(zip([dt.text for dt in item.find_all("dt")], item.find_all("dd"), strict=True))
    assert facts["Bildnachweis"].text == "Foto: Landeshauptstadt Düsseldorf/Malte Krudewig"
    assert facts["Rechteinhaber"].text == "Landeshauptstadt Düsseldorf"
    assert facts["Foto"].text == "Malte Krudewig"
    link = facts["Lizenz"].find("a", rel="license")
    assert (link.text, link.attrs["href"]) == ("CC BY 4.0", licence.url)
    uses = [(a.text, a.attrs["href"]) for a in facts["Verwendet in"].find_all("a")]
    assert uses == [
        ("Neuere", newer.get_absolute_url()),
        ("Ältere", older.get_absolute_url()),
        ("Städtepartnerschaft Haifa", partnership.get_absolute_url()),
    ]
    assert "/media/" not in item.find("img").attrs["src"]


def test_credits_page_uses_only_published_releases_as_places(client):
    image = photo()
    make_release(image=image, title="Öffentlich")
    make_release(image=image, title="Geheimer Entwurf", status=PressRelease.Status.DRAFT)

    item = listed(client)[image.pk]
    assert [a.text for a in item.find_all("a") if a.attrs.get("rel") != "license"] == ["Öffentlich"]
    assert "Geheimer Entwurf" not in client.get(CREDITS_URL).content.decode()


def test_credits_page_queries_do_not_grow_with_images(client, django_assert_max_num_queries):
    def populate(count):
        for _ in range(count):
            image = photo(license=License.objects.get(name="CC0 1.0"))
            release = make_release(image=image)
            add_image(release, photo())
            make_partnership(image=image)

    populate(2)
    with CaptureQueriesContext(connection) as few:
        client.get(CREDITS_URL)
    populate(15)
    with django_assert_max_num_queries(len(few)):
        assert len(listed(client)) == 34


def test_credits_page_is_paginated_and_empty_page_says_so(client):
    doc = parse(client.get(CREDITS_URL).content)
    assert "Zurzeit werden keine Bilder gezeigt." in doc.find("main").text
    assert client.get(CREDITS_URL + "?page=2").status_code == 404
    assert client.get(CREDITS_URL + "?page=x").status_code == 404


# --- Press photos on the release page ---------------------------------------------------------------------------


def test_release_page_offers_each_photo_with_credit_licence_and_terms_before_the_download(client):
    licence = License.objects.get(name="Pressefoto: honorarfrei zur Berichterstattung")
    lead = photo(
        credit="Foto: Landeshauptstadt Düsseldorf/Malte Krudewig",
        copyright_holder="Landeshauptstadt Düsseldorf",
        license=licence,
        usage_terms="Nur im Zusammenhang mit dieser Pressemitteilung.",
        rights_expire_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    block = photo(credit="© Stadt Chemnitz")
    release = make_release(image=lead)
    add_image(release, block, caption="Rathaus Chemnitz")
    add_image(release, lead)  # shown twice, offered once
    add_image(release, photo(decorative=True, alt_text=""))  # an ornament is no press photo
    add_image(release, photo(rights_expire_on=timezone.localdate() + YESTERDAY))

    response = client.get(release.get_absolute_url())
    section = parse(response.content).find("section", class_="press-photos")
    photos = section.find_all("li", class_="press-photo")

    assert len(photos) == 2
    first, second = photos
    credit = first.find("input", class_="press-photo__credit")
    assert credit.attrs["value"] == "Foto: Landeshauptstadt Düsseldorf/Malte Krudewig"
    assert "readonly" in credit.attrs
    assert first.find("label").attrs["for"] == credit.attrs["id"]
    rights = first.find("dl", class_="press-photo__rights").text
    assert "Pressefoto: honorarfrei zur Berichterstattung" in rights
    assert "Nur im Zusammenhang mit dieser Pressemitteilung." in rights
    download = first.find("a", class_="press-photo__download")
    assert download.attrs["href"] == renditions.download_url(lead)
    assert "600 × 400 Pixel" in first.text
    html = str(response.content.decode())
    assert html.index("Nur im Zusammenhang mit dieser") < html.index(renditions.download_url(lead))
    assert second.find("p", class_="press-photo__caption").text == "Rathaus Chemnitz"

    assert client.get(download.attrs["href"]).status_code == 200


def test_draft_release_has_no_downloadable_photos_for_the_public(client):
    image = photo()
    release = make_release(image=image, status=PressRelease.Status.DRAFT)
    assert client.get(release.get_absolute_url()).status_code == 404
    assert client.get(renditions.download_url(image)).status_code == 404
    assert client.get(renditions.url(image, "w480", "jpeg")).status_code == 404
