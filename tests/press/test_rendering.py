"""One renderer (press.rendering) for the page, the preview and the feeds, and one rule
(press.visibility) for showing an image publicly: rights valid AND used on a public page."""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from cityhall.library import image_views, renditions
from press import previews, visibility
from press.models import PressRelease
from press.rendering import FEED, PAGE, load_blocks, render_release
from tests.factories import (
    add_background,
    add_image,
    add_quote,
    add_text,
    image_bytes,
    make_image,
    make_partnership,
    make_person,
    make_release,
    make_user,
)
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def photo(**kwargs):
    return make_image(file=ContentFile(image_bytes(size=(900, 600)), name="foto.jpg"), **kwargs)


def atom_contents(client, url="/feeds/pressemitteilungen.atom"):
    """{entry link: the HTML of its content}, as the feed carries it (no HTML sanitising reader)."""
    root = ElementTree.fromstring(client.get(url).content)
    return {
        entry.find(f"{ATOM}link").attrib["href"]: entry.findtext(f"{ATOM}content")
        for entry in root.iter(f"{ATOM}entry")
    }


def full_release(**kwargs):
    release = make_release(image=photo(caption="Titelbild"), **kwargs)
    add_text(release, "<p>Erster <strong>Absatz</strong>.</p>")
    add_quote(release, make_person(name="Stephan Keller"), text="Ein Zitat.\n\nZweiter Absatz.")
    add_image(release, photo(caption="Im Text"))
    add_background(release, title="Hintergrund", html="<p>Seit 1988.</p>")
    return release


# --- One renderer ---------------------------------------------------------------------------------------------


def test_page_and_feed_entry_show_the_same_block_html_from_the_renderer(client):
    release = full_release()
    page_html = client.get(release.get_absolute_url()).content.decode()
    feed_html = atom_contents(client)["http://testserver" + release.get_absolute_url()]

    on_page = render_release(release, surface=PAGE)
    in_feed = render_release(release, surface=FEED, request=RequestFactory().get("/feeds/"))
    assert [block.item for block in on_page.blocks] == [block.item for block in in_feed.blocks]
    for page_block, feed_block in zip(on_page.blocks, in_feed.blocks, strict=True):
        assert page_block.html in page_html
        assert feed_block.html.strip() in feed_html
        if page_block.figure is None:  # text, quote, background: the very same HTML on every surface
            assert page_block.html == feed_block.html
    # The image block: a <picture> on the page, one <img> in the feed (absolute there), same caption.
    page_image, feed_image = on_page.blocks[2].html, in_feed.blocks[2].html
    assert "<picture>" in page_image and "<picture>" not in feed_image
    assert "Im Text" in page_image and "Im Text" in feed_image
    assert 'src="http://testserver/bilder/' in feed_html


def test_preview_link_renders_the_same_blocks_with_granted_image_addresses(client):
    release = full_release(published_at=timezone.now() + datetime.timedelta(days=1))
    link = previews.create(release, make_user("sprecherin", "Pressesprecher/in"), recipient="dpa")
    html = client.get(previews.path_for(link)).content.decode()
    rendering = render_release(release, preview=True, image_grant=previews.grant_scope(link))

    # Grants carry the second they were signed in; the page and this rendering may be a second apart.
    def without_grants(text):
        return re.sub(r"zugang=[^\"&, ]+", "zugang=…", text)

    for block in rendering.blocks:
        assert without_grants(block.html) in without_grants(html)
    assert "zugang=" in rendering.blocks[2].html


def test_renderer_makes_no_query_once_the_blocks_are_loaded(django_assert_num_queries):
    release = full_release()
    release = PressRelease.objects.select_related("image__license").get(pk=release.pk)
    blocks = load_blocks(release)
    with django_assert_num_queries(0):
        rendering = render_release(release, blocks)
        rendering.press_photos, rendering.images, rendering.social_image


# --- One rule ----------------------------------------------------------------------------------------------------


def not_public():
    """An image whose rights expired (on a published release) and one used only on a draft."""
    expired = photo(caption="Abgelaufen", rights_expire_on=YESTERDAY)
    published = make_release(image=expired, title="Veröffentlicht")
    shown = photo(caption="Gezeigt")
    add_image(published, shown)
    draft_only = photo(caption="Nur im Entwurf")
    draft = make_release(image=draft_only, status=PressRelease.Status.DRAFT, title="Entwurf")
    add_image(draft, draft_only)
    return published, draft, shown, [expired, draft_only]


def test_the_rule_in_python_and_in_sql_agree():
    published, draft, shown, hidden = not_public()
    on_partnership_page = photo()
    make_partnership(image=on_partnership_page)
    assert set(visibility.public_images().values_list("pk", flat=True)) == {shown.pk, on_partnership_page.pk}
    flags = dict(visibility.with_public_flag(visibility.Image.objects.all()).values_list("pk", "is_public"))
    assert flags[shown.pk] and not any(flags[image.pk] for image in hidden)
    page = render_release(published)
    assert [(f.image, f.shown) for f in page.figures] == [(hidden[0], False), (shown, True)]
    # A draft's page is not public: nothing on it may be shown, unless it is previewed as it will be.
    assert not any(figure.shown for figure in render_release(draft).figures)
    assert all(figure.shown for figure in render_release(draft, preview=True).figures)


def test_page_shows_neither_expired_nor_draft_only_images(client):
    published, draft, shown, hidden = not_public()
    response = client.get(published.get_absolute_url())
    html = response.content.decode()
    doc = parse(response.content)
    assert f"/bilder/{shown.pk}/" in html
    for image in hidden:
        assert f"/bilder/{image.pk}/" not in html
    assert doc.find("meta", property="og:image") is None  # the lead image's rights expired
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_jsonld_names_only_images_that_may_be_shown(client):
    published, _draft, shown, _hidden = not_public()
    doc = parse(client.get(published.get_absolute_url()).content)
    data = json.loads(doc.find("script", type="application/ld+json").text)
    assert [image["url"] for image in data["image"]] == ["http://testserver" + renditions.single(shown)[0]]


@pytest.mark.parametrize("url", ["/feeds/pressemitteilungen.atom", "/feeds/pressemitteilungen.rss"])
def test_feed_names_neither_expired_nor_draft_only_images(client, url):
    _published, _draft, shown, hidden = not_public()
    feed = client.get(url).content.decode()
    assert f"/bilder/{shown.pk}/" in feed
    for image in hidden:
        assert f"/bilder/{image.pk}/" not in feed


def test_credits_page_names_neither_expired_nor_draft_only_images(client):
    _published, _draft, shown, hidden = not_public()
    html = client.get("/bildnachweis/").content.decode()
    assert f'id="bild-{shown.pk}"' in html
    for image in hidden:
        assert f'id="bild-{image.pk}"' not in html


def test_image_server_serves_neither_expired_nor_draft_only_images(client):
    _published, _draft, shown, hidden = not_public()
    assert client.get(renditions.url(shown, "w480", "jpeg")).status_code == 200
    for image in hidden:
        assert client.get(renditions.url(image, "w480", "jpeg")).status_code == 404
        assert client.get(renditions.download_url(image)).status_code == 404
    editor = User.objects.create_user("redaktion", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_image"))
    client.force_login(editor)  # editors keep seeing them, uncached
    response = client.get(renditions.url(hidden[1], "w480", "jpeg"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_the_project_hands_the_rule_to_the_image_server_and_without_it_nothing_is_public():
    image = photo()
    make_release(image=image)
    match = resolve(renditions.url(image, "w480", "jpeg"))
    assert match.kwargs["public_flag"] is visibility.with_public_flag
    request = RequestFactory().get(renditions.url(image, "w480", "jpeg"))
    request.user = type("Anonymous", (), {"has_perm": lambda self, perm: False})()
    kwargs = {key: value for key, value in match.kwargs.items() if key != "public_flag"}
    with pytest.raises(image_views.Http404):
        image_views.rendition(request, **kwargs)  # the library alone: no rule, no public image


def test_no_registry_is_filled_from_above():
    from cityhall.library import models

    assert not hasattr(models, "register_public_image_use")
    assert not hasattr(models.Image.objects, "public")
    assert not hasattr(models.Image.objects, "with_public_flag")
