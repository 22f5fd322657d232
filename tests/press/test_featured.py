"""Featured releases: up to three pinned to the top of the home page by the spokespeople, each until its end
time, which takes effect with no write at all; never a release citizens may not see."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from press.models import FeaturedRelease, PressRelease
from tests.factories import make_release, make_user

pytestmark = pytest.mark.django_db


def pin(release, days=2, position=1):
    featured = FeaturedRelease(
        release=release, until=timezone.now() + timedelta(days=days), position=position
    )
    featured.full_clean()
    featured.save()
    return featured


def home_sections(client):
    page = client.get("/").content.decode()
    top, _, rest = page.partition('<h2 id="im-fokus">Im Fokus</h2>')
    featured, _, listing = rest.partition("</section>")
    return (featured, listing) if rest else ("", top)


def test_a_pinned_release_is_on_top_once(client):
    old = make_release(title="Unwetterwarnung", published_at=timezone.now() - timedelta(days=20))
    make_release(title="Neueste Mitteilung")
    pin(old)
    featured, listing = home_sections(client)
    assert "Unwetterwarnung" in featured and "Neueste Mitteilung" not in featured
    assert "Unwetterwarnung" not in listing and "Neueste Mitteilung" in listing


def test_the_pin_ends_on_time_without_a_write(client):
    release = make_release(title="Baustelle Rheinufer")
    featured = pin(release)
    FeaturedRelease.objects.filter(pk=featured.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert "Im Fokus" not in client.get("/").content.decode()


def test_a_withdrawn_or_unpublished_release_never_shows_as_pinned(client):
    release = make_release(title="Zurückgezogene Mitteilung")
    pin(release)
    PressRelease.objects.filter(pk=release.pk).update(status=PressRelease.Status.WITHDRAWN)
    assert "Zurückgezogene Mitteilung" not in client.get("/").content.decode()

    draft = make_release(title="Entwurf", status=PressRelease.Status.DRAFT)
    with pytest.raises(ValidationError, match="Nur veröffentlichte"):
        pin(draft)


def test_at_most_three_pins(client):
    for n in range(3):
        pin(make_release(title=f"Wichtig {n}"))
    with pytest.raises(ValidationError, match="schon 3"):
        pin(make_release(title="Eine zu viel"))


def test_pins_are_in_their_order_and_cost_three_queries(client, django_assert_num_queries):
    first = make_release(title="Zweite Wahl", tags=["Umwelt"])
    second = make_release(title="Erste Wahl")
    pin(first, position=2)
    pin(second, position=1)
    featured, _ = home_sections(client)
    assert featured.index("Erste Wahl") < featured.index("Zweite Wahl")
    with django_assert_num_queries(3):  # the pins, their releases, their tags
        assert [r.title for r in FeaturedRelease.objects.releases()] == ["Erste Wahl", "Zweite Wahl"]


def test_only_spokespeople_pin(client):
    client.force_login(make_user("redakteur", "Redaktion"))
    assert client.get(reverse("admin:press_featuredrelease_changelist")).status_code == 403
    client.force_login(make_user("sprecherin", "Pressesprecher/in"))
    assert client.get(reverse("admin:press_featuredrelease_changelist")).status_code == 200
