"""One slug rule: made in cityhall.library.slugs, validated by the models, used by admin and import."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityhall.library.slugs import RESERVED_SLUGS, validate_slug
from partnerships.models import Partnership
from press.models import PressRelease
from tests.factories import make_partnership, make_release
from tests.test_admin import management_data, release_data

RESERVED = "„{}“ ist für die Adressen der Website reserviert und kann kein Kurzname sein."


def test_reserved_words_include_the_path_segments_next_to_slugs():
    assert {
        "themen",
        "archiv",
        "schlagwort",
        "suche",
        "feeds",
        "vorschau",
        "bilder",
        "admin",
    } <= RESERVED_SLUGS


def test_validator_refuses_reserved_words_with_the_shared_message():
    with pytest.raises(ValidationError) as caught:
        validate_slug("archiv")
    assert caught.value.messages == [RESERVED.format("archiv")]
    validate_slug("2024")  # a year is a slug like any other


@pytest.mark.django_db
def test_partnership_slug_themen_refused_by_full_clean_with_the_shared_message():
    partnership = Partnership(partner_city="Warschau", slug="themen", country="PL", since=1989)
    with pytest.raises(ValidationError) as caught:
        partnership.full_clean()
    assert caught.value.message_dict["slug"] == [RESERVED.format("themen")]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["archiv", "schlagwort", "themen"])
def test_release_slug_reserved_refused_by_full_clean_with_the_shared_message(slug):
    release = PressRelease(title="Archiv", slug=slug)
    with pytest.raises(ValidationError) as caught:
        release.full_clean()
    assert caught.value.message_dict["slug"] == [RESERVED.format(slug)]


@pytest.mark.django_db
def test_default_slug_is_what_the_model_makes_from_a_title():
    assert PressRelease.default_slug("Grüße aus Haifa") == "gruesse-aus-haifa"
    assert PressRelease.default_slug("2025") == "2025"
    assert PressRelease.default_slug("Archiv") == "archiv-pressemitteilung"
    assert PressRelease.default_slug("!!!") == "pressemitteilung"
    assert make_release(title="Archiv").slug == PressRelease.default_slug("Archiv")
    assert Partnership.default_slug("Themen") == "themen-partnerschaft"
    assert make_partnership(partner_city="Themen").slug == "themen-partnerschaft"
    assert make_partnership(partner_city="Łódź").slug == Partnership.default_slug("Łódź")


@pytest.mark.django_db
def test_title_that_is_a_year_saves_in_the_admin_with_the_year_as_slug(admin_client):
    url = reverse("admin:press_pressrelease_add")
    data, _ = management_data(admin_client.get(url))
    data.update(release_data(title="2026", slug=""))
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert PressRelease.objects.get().slug == "2026"


@pytest.mark.django_db
def test_reserved_slug_in_the_admin_is_a_field_error_with_the_shared_message(admin_client):
    url = reverse("admin:press_pressrelease_add")
    data, _ = management_data(admin_client.get(url))
    data.update(release_data(slug="archiv"))
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [RESERVED.format("archiv")]
    assert not PressRelease.objects.exists()
