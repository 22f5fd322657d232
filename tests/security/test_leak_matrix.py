"""The leak matrix: every state a release is not public in (draft, in review, approved, scheduled,
under embargo, withdrawn before and after it was public) × every public surface (its address, the
lists, the archive, the tag and partnership pages, every feed, the sitemap, search, the JSON-LD of
public pages, its images and their renditions, preview links that are revoked or expired). Each
pair is one check; it holds when the surface answers without a 500 and shows nothing of the
release: title, address, lead, text, image caption (a withdrawn release's own address may show its
title: that is its public notice)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.library import renditions
from press import previews
from press.models import PressRelease
from tests.factories import (
    add_image,
    add_text,
    make_contact,
    make_image,
    make_partnership,
    make_release,
    make_user,
)

pytestmark = pytest.mark.django_db
Status = PressRelease.Status
NOW = timezone.now


def hidden_release(state, partnership, spokesperson):
    m = f"leck{state}"
    now = NOW()
    status, published_at = {
        "draft": (Status.DRAFT, now - timedelta(days=1)),
        "in_review": (Status.IN_REVIEW, now - timedelta(days=1)),
        "approved": (Status.APPROVED, now - timedelta(days=1)),
        "scheduled": (Status.PUBLISHED, now + timedelta(days=2)),
        "embargoed": (Status.PUBLISHED, now + timedelta(hours=5)),
        "withdrawn": (Status.PUBLISHED, now - timedelta(days=3)),
        "withdrawn_before_public": (Status.PUBLISHED, now + timedelta(days=3)),
    }[state]
    release = make_release(
        title=f"Titel {m}",
        slug=f"adresse-{m}",
        lead=f"Vorspann {m}",
        status=status,
        published_at=published_at,
        contact=make_contact(),
        image=make_image(caption=f"Bild {m}", credit=f"Nachweis {m}"),
        tags=["Verkehr"],
        partnerships=[partnership],
    )
    add_text(release, f"<p>Text {m} steht hier.</p>")
    add_image(release, make_image(caption=f"Blockbild {m}"))
    if state == "embargoed":
        previews.create(release, spokesperson, recipient="dpa")
    if state.startswith("withdrawn"):
        PressRelease.objects.filter(pk=release.pk).update(
            status=Status.WITHDRAWN, withdrawn_at=now - timedelta(hours=1)
        )
        release.refresh_from_db()
    release.markers = [
        f"Titel {m}",
        f"adresse-{m}",
        f"Vorspann {m}",
        f"Text {m}",
        f"Bild {m}",
        f"Blockbild {m}",
    ]
    return release


STATES = ["draft", "in_review", "approved", "scheduled", "embargoed", "withdrawn", "withdrawn_before_public"]


@pytest.fixture
def world():
    partnership = make_partnership(partner_city="Haifa", summary="Seit 1988.")
    spokesperson = make_user("sprecherin", "Pressesprecher/in")
    public = make_release(title="Öffentliche Mitteilung", tags=["Verkehr"], partnerships=[partnership])
    add_text(public, "<p>Öffentlicher Text über Verkehr.</p>")
    hidden = {state: hidden_release(state, partnership, spokesperson) for state in STATES}
    tag = public.tags.get()
    return {"public": public, "partnership": partnership, "tag": tag, "hidden": hidden}


def surfaces(world):
    """(name, path) of every public surface that lists or shows releases."""
    public, tag, partnership = world["public"], world["tag"], world["partnership"]
    year, month = timezone.localtime(public.published_at).year, timezone.localtime(public.published_at).month
    return [
        ("home", reverse("press:home")),
        ("list", reverse("press:list")),
        ("archive_year", reverse("press:year", args=[year])),
        ("archive_month", f"/pressemitteilungen/archiv/{year}/{month:02d}/"),
        ("tag_page", reverse("press:tag", args=[tag.slug])),
        ("partnership_page", reverse("partnerships:detail", args=[partnership.slug])),
        ("feed_rss", reverse("press:feed_rss")),
        ("feed_atom", reverse("press:feed_atom")),
        ("feed_tag_rss", reverse("press:tag_feed_rss", args=[tag.slug])),
        ("feed_tag_atom", reverse("press:tag_feed_atom", args=[tag.slug])),
        ("feed_partnership_rss", reverse("press:partnership_feed_rss", args=[partnership.slug])),
        ("feed_partnership_atom", reverse("press:partnership_feed_atom", args=[partnership.slug])),
        ("sitemap", reverse("press:sitemap")),
        ("credits", reverse("press:credits")),
        ("public_page_jsonld_related", public.get_absolute_url()),
    ]


def shows(content, markers):
    return [marker for marker in markers if marker in content]


def test_lists_feeds_sitemap_and_public_pages_show_no_hidden_release(client, world, tally):
    for name, path in surfaces(world):
        response = client.get(path)
        content = response.content.decode()
        tally.check("leak: surfaces", response.status_code == 200, f"{name} answered {response.status_code}")
        for state, release in world["hidden"].items():
            found = shows(content, release.markers)
            tally.check("leak: state × surface", not found, f"{state} × {name}: {found}")
    tally.assert_held()


def test_search_finds_no_hidden_release(client, world, tally):
    for state in world["hidden"]:
        m = f"leck{state}"
        for term in (m, f"Text {m}", f"Vorspann {m}", "Verkehr"):
            response = client.get(reverse("press:search"), {"q": term})
            content = response.content.decode()
            # The query is echoed in the search box; the title, address and caption must not appear.
            found = shows(content, [f"Titel {m}", f"adresse-{m}", f"Bild {m}"])
            tally.check(
                "leak: state × search",
                response.status_code == 200 and not found,
                f"{state} × {term!r}: {found}",
            )
    tally.assert_held()


def test_own_address_shows_nothing_but_a_withdrawal_notice(client, world, tally):
    for state, release in world["hidden"].items():
        response = client.get(f"/pressemitteilungen/{release.slug}/")
        content = response.content.decode()
        # (The address itself is what the visitor typed; a 404 page may repeat it.)
        if state == "withdrawn":
            held = response.status_code == 410 and not shows(content, release.markers[2:])
        else:
            held = response.status_code == 404 and not shows(
                content, [release.markers[0], *release.markers[2:]]
            )
        tally.check("leak: state × detail URL", held, f"{state}: {response.status_code}")
    tally.assert_held()


def test_images_and_renditions_of_hidden_releases_are_not_served(client, world, tally):
    # The control: the same addresses of an image on a public release are served (so a 404 means hidden).
    shown = make_image()
    make_release(image=shown)
    control = client.get(
        renditions.url(shown, f"w{renditions.widths_for(shown)[0]}", renditions.fallback_format(shown))
    )
    assert control.status_code == 200
    for state, release in world["hidden"].items():
        images = [release.image, *[block.image for block in release.press_imageblock_set.all()]]
        for image in images:
            for spec in (
                f"w{renditions.widths_for(image)[0]}",
                "social",
                f"t{renditions.teaser_widths_for(image)[0]}",
            ):
                for fmt in renditions.formats_for(image, spec):
                    response = client.get(renditions.url(image, spec, fmt))
                    tally.check(
                        "leak: state × image",
                        response.status_code == 404,
                        f"{state} × {spec}.{fmt}: {response.status_code}",
                    )
            response = client.get(renditions.download_url(image))
            tally.check(
                "leak: state × image",
                response.status_code == 404,
                f"{state} × download: {response.status_code}",
            )
    tally.assert_held()


def test_revoked_and_expired_preview_links_show_nothing(client, world, tally):
    spokesperson = make_user("sprecher2", "Pressesprecher/in")
    for state, release in world["hidden"].items():
        if state.startswith("withdrawn"):
            continue
        link = previews.create(release, spokesperson, recipient="Büro", purpose="signoff")
        revoked_path = previews.path_for(link)
        previews.revoke(link, spokesperson)
        expired = previews.create(release, spokesperson, recipient="dpa", purpose="signoff")
        type(expired).objects.filter(pk=expired.pk).update(expires_at=NOW() - timedelta(minutes=1))
        for kind, path in (("revoked", revoked_path), ("expired", previews.path_for(expired))):
            response = client.get(path)
            found = shows(response.content.decode(), release.markers)
            tally.check(
                "leak: state × preview",
                response.status_code in (404, 410) and not found,
                f"{state} × {kind} preview: {response.status_code} {found}",
            )
    tally.assert_held()
