"""Renditions: made once on first request, stored, served only for public images, cropped
around the focal point; and the <picture> markup that names them."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage

from cityhall.library import rendition_store, renditions
from cityhall.library.models import Image, Rendition
from press.models import PressRelease
from tests.factories import add_image, image_bytes, make_image, make_partnership, make_release
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}


def photo(size=(1600, 900), **kwargs):
    return make_image(file=ContentFile(image_bytes(size=size), name="foto.jpg"), **kwargs)


def published_photo(size=(1600, 900), **kwargs):
    image = photo(size, **kwargs)
    make_release(image=image)
    return image


def rendition_files(settings):
    root = Path(settings.MEDIA_ROOT) / "renditions"
    return {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()} if root.exists() else {}


def picture_urls(doc):
    """Every address named by the <picture> elements of a page."""
    urls = set()
    elements = [
        el
        for picture in doc.find_all("picture")
        for el in picture.find_all("source") + picture.find_all("img")
    ]
    for element in elements:
        if "srcset" in element.attrs:
            urls |= {part.split()[0] for part in element.attrs["srcset"].split(",")}
        if "src" in element.attrs:
            urls.add(element.attrs["src"])
    return urls


def fetch_all(client, urls):
    for url in sorted(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content)


# --- Geometry: from the image row alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("focal", "box"),
    [
        ((50, 50), (0, 150, 1600, 1050)),  # 1600 × 1200 → the middle 16:9 band
        ((50, 0), (0, 0, 1600, 900)),  # focal point at the top: crop from the top
        ((50, 100), (0, 300, 1600, 1200)),
        ((50, 30), (0, 0, 1600, 900)),  # 30 % of 1200 = 360, half the box is 450: clamped at the top
        ((50, 70), (0, 300, 1600, 1200)),
    ],
)
def test_teaser_crop_follows_the_focal_point_within_the_picture(focal, box):
    assert renditions.crop_box(1600, 1200, (16, 9), *focal) == box


def test_crop_of_a_panorama_takes_full_height_around_the_focal_point():
    assert renditions.crop_box(4000, 1000, (16, 9), 10, 50) == (0, 0, 1778, 1000)
    assert renditions.crop_box(4000, 1000, (16, 9), 75, 50) == (2111, 0, 3889, 1000)


def test_widths_never_exceed_the_original():
    assert renditions.widths_for(photo(size=(1000, 500))) == [240, 480, 800, 1000]
    assert renditions.widths_for(photo(size=(3000, 2000))) == [240, 480, 800, 1200, 1600]
    assert renditions.widths_for(photo(size=(100, 80))) == [100]


def test_social_card_is_1200_by_675_cropped_around_the_focal_point():
    image = photo(size=(3000, 3000), focal_x=50, focal_y=10)
    box, width, height = renditions.geometry(image, "social")
    assert (width, height) == (1200, 675)
    assert box == (0, 0, 3000, 1688)


def test_unknown_specs_do_not_exist():
    image = photo(size=(1000, 500))
    for spec in ("w1200", "w999", "w0800", "x480", "t", "t481", "social2", "w-1"):
        assert renditions.geometry(image, spec) is None, spec


def test_picture_markup_needs_no_query_and_no_file(django_assert_num_queries, settings):
    # An image row whose file does not exist: the markup never opens it.
    image = Image(pk=7, file="images/gibt-es-nicht.jpg", width=1600, height=900, content_hash="ab" * 32)
    with django_assert_num_queries(0):
        data = renditions.picture(image)
    assert (data["width"], data["height"]) == (1600, 900)
    assert data["src"] == renditions.url(image, "w800", "jpeg")
    assert data["srcset"].split(", ")[-1] == f"{renditions.url(image, 'w1600', 'jpeg')} 1600w"
    assert [content_type for content_type, _ in data["sources"]] == [
        renditions.CONTENT_TYPES[fmt] for fmt in renditions.MODERN_FORMATS
    ]


# --- Serving: made once, stored, never again -----------------------------------------------------------------


def test_rendition_is_made_on_first_request_and_served_from_storage_afterwards(client, settings, monkeypatch):
    image = published_photo()
    url = renditions.url(image, "w800", "webp")
    made = []
    render = rendition_store.render
    monkeypatch.setattr(rendition_store, "render", lambda *args: made.append(args) or render(*args))

    first = client.get(url)
    body = b"".join(first.streaming_content)
    files_after_first = rendition_files(settings)
    second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert len(made) == 1
    assert rendition_files(settings) == files_after_first  # same file, same mtime
    assert b"".join(second.streaming_content) == body
    assert first["Content-Type"] == "image/webp"
    assert first["X-Content-Type-Options"] == "nosniff"
    assert "public" in first["Cache-Control"]
    rendition = Rendition.objects.get()
    assert (rendition.width, rendition.height) == (800, 450)
    name = Path(rendition.file.name).name
    assert len(name) == len("0123456789abcdef0123456789abcdef.webp")  # generated, not the upload's name
    assert PILImage.open(io.BytesIO(body)).size == (800, 450)


def test_the_renditions_of_a_page_are_not_regenerated_on_the_second_request(client, settings, monkeypatch):
    image = photo(size=(1300, 800))
    release = make_release(image=image)
    add_image(release, photo(size=(900, 900)))

    doc = parse(client.get(release.get_absolute_url()).content)
    urls = picture_urls(doc)
    formats = len(renditions.formats_for(image, "w800"))
    assert len(urls) == formats * (5 + 4)  # 240 480 800 1200 1300 and 240 480 800 900
    fetch_all(client, urls)
    made = Rendition.objects.count()
    stored = rendition_files(settings)
    assert made == len(urls) == len(stored)

    calls = []
    monkeypatch.setattr(rendition_store, "render", lambda *args: calls.append(args))
    doc_again = parse(client.get(release.get_absolute_url()).content)
    assert picture_urls(doc_again) == urls
    fetch_all(client, urls)

    assert calls == []
    assert Rendition.objects.count() == made
    assert rendition_files(settings) == stored


def test_serving_a_stored_rendition_costs_two_queries(client, django_assert_max_num_queries):
    image = published_photo()
    url = renditions.url(image, "w480", "jpeg")
    client.get(url)
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200


def test_conditional_request_gets_304(client):
    image = published_photo()
    url = renditions.url(image, "w480", "jpeg")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


@pytest.mark.parametrize("extension", ["avif", "webp", "jpg"])
def test_each_format_has_its_content_type(client, extension):
    if extension == "avif" and "avif" not in renditions.MODERN_FORMATS:
        pytest.skip("Pillow here cannot write AVIF")
    image = published_photo(size=(500, 300))
    response = client.get(renditions.url(image, "w480", renditions.FORMATS_BY_EXTENSION[extension]))
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == CONTENT_TYPES[extension]
    assert (
        PILImage.open(io.BytesIO(data)).format == {"avif": "AVIF", "webp": "WEBP", "jpg": "JPEG"}[extension]
    )


def test_transparent_png_gets_png_fallback(client):
    buf = io.BytesIO()
    PILImage.new("RGBA", (300, 200), (0, 0, 0, 0)).save(buf, "PNG")
    image = make_image(file=ContentFile(buf.getvalue(), name="logo.png"))
    make_release(image=image)
    assert renditions.formats_for(image, "w240")[-1] == "png"
    response = client.get(renditions.url(image, "w240", "png"))
    assert PILImage.open(io.BytesIO(b"".join(response.streaming_content))).mode == "RGBA"


@pytest.mark.parametrize(
    "path", ["w1601.jpg", "w800.gif", "w800.svg", "t2000.jpg", "social.webp", "original.jpg", "w800.JPG"]
)
def test_unknown_rendition_is_404(client, path):
    image = published_photo()
    base = renditions.url(image, "w800", "jpeg").rsplit("/", 1)[0]
    assert client.get(f"{base}/{path}").status_code == 404


def test_old_address_redirects_to_the_current_version(client):
    image = published_photo()
    old = renditions.url(image, "t480", "jpeg")
    image.focal_x = 10
    image.save()
    response = client.get(old)
    assert response.status_code == 302
    assert response.url == renditions.url(image, "t480", "jpeg") != old


def test_new_focal_point_removes_the_old_crops(client, settings, django_capture_on_commit_callbacks):
    image = published_photo()
    fetch_all(client, [renditions.url(image, "t480", "jpeg"), renditions.url(image, "social", "jpeg")])
    old_files = set(rendition_files(settings))
    assert len(old_files) == 2

    image.focal_y = 0
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert not Rendition.objects.exists()

    fetch_all(client, [renditions.url(image, "t480", "jpeg")])
    assert not old_files & set(rendition_files(settings))


def test_deleting_an_image_deletes_its_renditions_and_files(
    client, settings, django_capture_on_commit_callbacks
):
    image = photo()
    release = make_release(image=image)
    fetch_all(client, [renditions.url(image, "w240", "jpeg")])
    original = Path(image.file.path)
    release.delete()
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.filter(pk=image.pk).delete()  # a queryset delete, as the admin's action does
    assert not Rendition.objects.exists()
    assert rendition_files(settings) == {}
    assert not original.exists()


# --- Who may fetch what ----------------------------------------------------------------------------------------


def not_public_images():
    draft = photo(caption="Entwurf")
    make_release(image=draft, status=PressRelease.Status.DRAFT)
    embargoed = photo(caption="Sperrfrist")
    make_release(image=embargoed, published_at=timezone.now() + datetime.timedelta(days=1))
    unused = photo(caption="Nirgends verwendet")
    expired = photo(caption="Abgelaufen", rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    make_release(image=expired)
    return [draft, embargoed, unused, expired]


def test_images_not_shown_publicly_cannot_be_fetched(client):
    for image in not_public_images():
        assert client.get(renditions.url(image, "w800", "jpeg")).status_code == 404, image.caption
        assert client.get(renditions.download_url(image)).status_code == 404, image.caption
    assert not Rendition.objects.exists()  # nothing was even made


def test_editors_may_fetch_them_but_no_cache_keeps_them(client):
    editor = User.objects.create_user("redaktion", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_image"))
    client.force_login(editor)
    for image in not_public_images():
        response = client.get(renditions.url(image, "w800", "jpeg"))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_image_of_a_withdrawn_release_stops_being_served(client):
    image = photo()
    release = make_release(image=image)
    url = renditions.url(image, "w480", "jpeg")
    assert client.get(url).status_code == 200
    PressRelease.objects.filter(pk=release.pk).update(status=PressRelease.Status.DRAFT)
    assert client.get(url).status_code == 404


def test_image_of_a_partnership_page_is_public(client):
    image = photo()
    make_partnership(image=image)
    assert client.get(renditions.url(image, "w480", "jpeg")).status_code == 200


def test_media_folder_is_not_served(client):
    image = published_photo()
    assert client.get(image.file.url).status_code == 404


# --- Download of the clean original ----------------------------------------------------------------------------


def test_download_is_the_stored_clean_original_as_attachment(client):
    image = published_photo(size=(2400, 1600), title="Rathaus am Markt")
    response = client.get(renditions.download_url(image))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        f'attachment; filename="pressefoto-rathaus-am-markt-{image.pk}.jpg"'
    )
    with image.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()


# --- The pages --------------------------------------------------------------------------------------------------


def test_lead_image_is_eager_and_block_images_are_lazy(client):
    release = make_release(image=photo())
    add_image(release, photo())
    doc = parse(client.get(release.get_absolute_url()).content)
    lead, block = doc.find("article", class_="release").find_all("img")[:2]
    assert "loading" not in lead.attrs
    assert lead.attrs["fetchpriority"] == "high"
    assert block.attrs["loading"] == "lazy"
    for img in (lead, block):
        assert (img.attrs["width"], img.attrs["height"]) == ("1600", "900")
        assert img.attrs["sizes"] == renditions.CONTENT_SIZES
        assert "/media/" not in img.attrs["src"]


def test_list_cards_show_a_16_9_teaser(client):
    image = photo(size=(1600, 1200), focal_y=0)
    make_release(image=image, title="Mit Bild")
    doc = parse(client.get("/pressemitteilungen/").content)
    img = doc.find("img", class_="card__image")
    assert img.attrs["src"] == renditions.url(image, "t800", "jpeg")
    assert (img.attrs["width"], img.attrs["height"]) == ("1200", "675")
    assert img.attrs["alt"] == ""


def test_expired_image_is_a_placeholder_with_caption_and_not_in_opengraph_or_jsonld(client):
    expired = photo(
        caption="Empfang im Rathaus", rights_expire_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    release = make_release(image=expired)
    add_image(release, expired)
    response = client.get(release.get_absolute_url())
    doc = parse(response.content)
    html = response.content.decode()

    figures = doc.find_all("figure", class_="figure--unavailable")
    assert len(figures) == 2
    for figure in figures:
        assert figure.find("img") is None
        assert figure.find("svg").attrs["aria-label"] == "Bild nicht verfügbar"
        assert figure.find("span", class_="figure__caption").text == "Empfang im Rathaus"
        assert figure.find("small", class_="credit") is None
    assert f"/bilder/{expired.pk}/" not in html
    assert doc.find("meta", property="og:image") is None
    data = json.loads(doc.find("script", type="application/ld+json").text)
    assert "image" not in data
    assert doc.find("section", class_="press-photos") is None


def test_image_is_shown_on_its_last_day_of_rights(client):
    image = photo(rights_expire_on=timezone.localdate())
    release = make_release(image=image)
    doc = parse(client.get(release.get_absolute_url()).content)
    assert doc.find("figure", class_="figure--unavailable") is None
    assert client.get(renditions.url(image, "w480", "jpeg")).status_code == 200


def test_detail_page_queries_do_not_grow_with_images(client, django_assert_max_num_queries):
    def release_with(count):
        release = make_release(image=photo())
        for _ in range(count):
            add_image(release, photo(size=(300, 200)))
        return release

    small, large = release_with(1), release_with(30)
    with CaptureQueriesContext(connection) as few:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(few)):
        response = client.get(large.get_absolute_url())
    assert len(parse(response.content).find_all("picture")) == 31 + 31  # figures and press photos


def test_feed_names_renditions_and_leaves_out_expired_images(client):
    shown = photo(caption="Gezeigt")
    expired = photo(caption="Abgelaufen", rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    release = make_release(image=shown)
    add_image(release, expired)

    feed = client.get("/feeds/pressemitteilungen.atom").content.decode()

    assert "http://testserver" + renditions.url(shown, "w800", "jpeg") in feed
    assert f"/bilder/{expired.pk}/" not in feed
    assert "/media/" not in feed


def test_admin_lists_the_images_whose_rights_have_expired(admin_client):
    today = timezone.localdate()
    expired = photo(title="Abgelaufen", rights_expire_on=today - datetime.timedelta(days=1))
    photo(title="Läuft heute ab", rights_expire_on=today)
    photo(title="Unbefristet")

    response = admin_client.get("/admin/cityhall/image/", {"rechte": "abgelaufen"})

    assert [image.pk for image in response.context["cl"].result_list] == [expired.pk]
    assert "abgelaufen am" in response.content.decode()


def test_a_signed_grant_opens_a_not_yet_public_image_for_a_day_and_only_that_one(client, monkeypatch):
    """Preview links of embargoed releases show their images to people without an account, while the
    project says the grant's scope holds (cityhall/urls.py hands in press.previews.grant_valid)."""
    from press import previews
    from tests.factories import make_user

    embargoed = photo()
    release = make_release(image=embargoed, published_at=timezone.now() + datetime.timedelta(days=1))
    other = photo()
    make_release(image=other, status=PressRelease.Status.DRAFT)
    link = previews.create(release, make_user("sprecherin", "Pressesprecher/in"), recipient="dpa")
    grant = renditions.grant_for(embargoed, previews.grant_scope(link))

    response = client.get(renditions.url(embargoed, "w480", "jpeg", grant))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.get(renditions.url(other, "w480", "jpeg", grant)).status_code == 404
    assert client.get(renditions.url(embargoed, "w480", "jpeg", grant + "x")).status_code == 404
    assert client.get(renditions.url(embargoed, "w480", "jpeg")).status_code == 404
    unknown_scope = renditions.grant_for(embargoed, "999999")
    assert client.get(renditions.url(embargoed, "w480", "jpeg", unknown_scope)).status_code == 404

    monkeypatch.setattr(renditions, "GRANT_MAX_AGE", -1)  # a day later
    assert client.get(renditions.url(embargoed, "w480", "jpeg", grant)).status_code == 404


def test_picture_addresses_carry_a_grant_only_where_the_page_asks_for_it():
    from django.template import Context, Template

    image = photo()
    template = Template("{% load image_tags %}{% picture image alt='x' %}")
    plain = template.render(Context({"image": image}))
    granted = template.render(Context({"image": image, "image_grant": "7"}))
    assert "zugang=" not in plain
    assert granted.count("zugang=") == plain.count("/bilder/")


# --- Layers inside the library ----------------------------------------------------------------------------------


def _imports(module):
    import ast

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):  # also imports inside functions: no hidden circle
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_geometry_and_urls_know_no_model_and_models_never_import_the_making():
    from cityhall.library import models

    assert not {"cityhall.library.models", "cityhall.library.models.Rendition"} & _imports(renditions)
    assert "cityhall.library.models.Rendition" in _imports(rendition_store)
    assert not {"cityhall.library.renditions", "cityhall.library.rendition_store"} & _imports(models)


def test_image_admin_has_no_public_column_the_library_cannot_answer(admin_client):
    """Whether an image is shown publicly needs the pages of the apps above; the library's admin
    shows the rights (its half of the rule) and where an image is used, not a "public" flag."""
    from django.contrib import admin

    image = published_photo()
    image_admin = admin.site._registry[Image]
    assert not {"is_public", "public"} & set(image_admin.list_display)
    response = admin_client.get("/admin/cityhall/image/")
    assert response.status_code == 200
    assert image in response.context["cl"].result_list


def test_rendition_addresses_are_those_django_reverses():
    from django.urls import reverse

    image = make_image()
    for spec, fmt in [("w800", "jpeg"), ("t320", "webp"), ("social", "jpeg")]:
        expected = reverse(
            "images:rendition",
            kwargs={
                "pk": image.pk,
                "version": renditions.version(image),
                "spec": spec,
                "extension": renditions.EXTENSIONS[fmt],
            },
        )
        assert renditions.url(image, spec, fmt) == expected
