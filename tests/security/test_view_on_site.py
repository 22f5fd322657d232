"""The admin's view-on-site shortcut reveals an object's address (for a release: its slug) only to
accounts that may see the object in the admin."""

import pytest
from django.contrib.contenttypes.models import ContentType

from press.models import PressRelease
from tests.factories import make_release, make_user

pytestmark = pytest.mark.django_db


def shortcut_path(release):
    content_type = ContentType.objects.get_for_model(PressRelease)
    return f"/admin/r/{content_type.pk}/{release.pk}/"


def test_staff_without_press_rights_learn_nothing(client):
    draft = make_release(title="Geheimer Entwurf", status=PressRelease.Status.DRAFT)
    client.force_login(make_user("nur-personal", is_staff=True))
    response = client.get(shortcut_path(draft))
    assert response.status_code == 404
    assert draft.slug not in response.headers.get("Location", "")
    assert draft.slug.encode() not in response.content
    # The same answer as for an id that does not exist.
    assert client.get(shortcut_path(draft).replace(f"/{draft.pk}/", "/999999/")).status_code == 404


def test_press_staff_are_sent_to_the_release(client):
    draft = make_release(title="Entwurf der Redaktion", status=PressRelease.Status.DRAFT)
    client.force_login(make_user("redakteurin", "Redaktion"))
    response = client.get(shortcut_path(draft))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(draft.get_absolute_url())


def test_not_numeric_content_type_is_a_404(client):
    client.force_login(make_user("redakteur", "Redaktion"))
    assert client.get("/admin/r/abc/1/").status_code == 404
