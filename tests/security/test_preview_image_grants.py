"""The images of an embargoed release, shown on its preview link, are fetched with a grant that belongs
to that link: revoking the link (or its expiry) closes its images at once, not a day later."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from press import previews
from press.models import PressRelease
from tests.factories import make_image, make_release, make_user

pytestmark = pytest.mark.django_db


def image_addresses(html):
    return [address.replace("&amp;", "&") for address in re.findall(r'src="(/bilder/[^"]+)"', html)]


@pytest.fixture
def link():
    speaker = make_user("sprecherin", "Pressesprecher/in")
    image = make_image()
    release = make_release(
        title="Neues Hallenbad",
        status=PressRelease.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
        image=image,
    )
    return previews.create(release, speaker, recipient="Rheinische Post"), speaker


def test_the_preview_links_images_close_when_the_link_is_revoked(client, link):
    link, speaker = link
    page = client.get(previews.path_for(link))
    addresses = image_addresses(page.content.decode())
    assert addresses
    assert all(client.get(address).status_code == 200 for address in addresses)

    previews.revoke(link, speaker)

    assert [client.get(address).status_code for address in addresses] == [404] * len(addresses)


def test_the_preview_links_images_close_when_the_link_expires(client, link):
    link, _speaker = link
    addresses = image_addresses(client.get(previews.path_for(link)).content.decode())
    link.expires_at = timezone.now() - timedelta(seconds=1)
    link.save(update_fields=["expires_at"])

    assert [client.get(address).status_code for address in addresses] == [404] * len(addresses)
