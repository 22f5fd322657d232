"""Finding 11: the sanitiser closes every open tag, so 1 MB of unclosed tags grew to 7.5 MB and the
release could not be saved again. Rich text is capped before and after sanitising: a field error in
the admin, a model error for the import, never a 500."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityhall.library.richtext import RICHTEXT_MAX_LENGTH
from press.models import PressRelease, TextBlock
from tests.factories import add_text, make_release, make_user
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db

UNCLOSED = "<b><i><u>" * (1_000_000 // 9)  # 1 MB of tags that are never closed


@pytest.fixture
def block():
    release = make_release(status=PressRelease.Status.DRAFT)
    return add_text(release, "<p>Alle sind eingeladen.</p>")


def test_a_megabyte_of_unclosed_tags_is_refused_before_sanitising(block):
    block.html = UNCLOSED
    with pytest.raises(ValidationError) as raised:
        block.full_clean()
    assert "zu lang" in raised.value.message_dict["html"][0]


def test_text_that_grows_past_the_cap_when_sanitised_is_refused(block):
    grows = "<b>" * ((RICHTEXT_MAX_LENGTH - 10) // 3)  # under the cap as typed, several times over after
    assert len(grows) < RICHTEXT_MAX_LENGTH
    block.html = grows
    with pytest.raises(ValidationError) as raised:
        block.full_clean()
    assert "zu lang" in raised.value.message_dict["html"][0]


def test_long_but_ordinary_text_is_kept(block):
    block.html = "<p>" + "Wort " * 20_000 + "</p>"
    block.full_clean()
    assert len(block.html) > 100_000


def test_the_admin_answers_with_a_field_error_and_stores_nothing(client, block):
    client.force_login(make_user("redakteurin", "Redaktion"))
    url = reverse("admin:press_pressrelease_change", args=[block.parent.pk])
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-0-html") and "textblock" in key)
    response = client.post(url, {**data, prefix: UNCLOSED})
    assert response.status_code == 200
    assert "zu lang" in response.content.decode()
    assert TextBlock.objects.get(pk=block.pk).html == "<p>Alle sind eingeladen.</p>"
