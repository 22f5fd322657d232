"""Finding 12: a withdrawn release is kept, so its address keeps saying it was withdrawn; nobody
deletes it (admin page, list action, write path). An administrator may anonymise it: the content
goes, the notice stays. Finding 3 (delete page): permission is checked before the release's title
appears in any message."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from press import history, workflow
from press.models import AuditEntry, ImageBlock, PressRelease, QuoteBlock, TextBlock
from tests.factories import (
    add_image,
    add_quote,
    add_text,
    make_contact,
    make_image,
    make_person,
    make_release,
    make_user,
)

pytestmark = pytest.mark.django_db
Status = PressRelease.Status


@pytest.fixture
def withdrawn():
    release = make_release(
        title="Zurückgezogene Mitteilung",
        lead="Vertraulicher Vorspann",
        contact=make_contact(),
        image=make_image(),
        published_at=timezone.now() - timedelta(days=3),
    )
    add_text(release, "<p>Geheimer Text</p>")
    add_quote(release, make_person(name="Zitierte Person"), text="Ein Zitat")
    add_image(release, make_image())
    workflow.transition(
        release, "withdraw", make_user("sprecherin0", "Pressesprecher/in"), note="Falsche Zahlen."
    )
    release.refresh_from_db()
    return release


def test_the_write_path_refuses_to_delete_a_withdrawn_release(withdrawn):
    with pytest.raises(workflow.WorkflowError):
        workflow.delete(withdrawn, make_user("admin", superuser=True))
    assert PressRelease.objects.filter(pk=withdrawn.pk).exists()


@pytest.mark.parametrize("superuser", [False, True])
def test_the_delete_page_refuses_for_spokespeople_and_admins(client, withdrawn, superuser):
    user = make_user("chefin", superuser=True) if superuser else make_user("sprecher", "Pressesprecher/in")
    client.force_login(user)
    url = f"/admin/press/pressrelease/{withdrawn.pk}/delete/"
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert PressRelease.objects.filter(pk=withdrawn.pk).exists()
    assert client.get(withdrawn.get_absolute_url()).status_code == 410  # the notice (Gone) is still there


def test_the_delete_page_checks_the_permission_before_naming_the_release(client):
    scheduled = make_release(title="Geheim geplant", published_at=timezone.now() + timedelta(days=2))
    for user in (make_user("redakteur", "Redaktion"), make_user("nur-personal")):
        client.force_login(user)
        response = client.get(f"/admin/press/pressrelease/{scheduled.pk}/delete/", follow=True)
        assert response.status_code == 403
        assert b"Geheim geplant" not in response.content


def test_an_admin_anonymises_it_and_the_notice_stays(client, withdrawn):
    client.force_login(make_user("chefin", superuser=True))
    changelist = "/admin/press/pressrelease/"
    asked = client.post(changelist, {"action": "anonymise_selected", ACTION_CHECKBOX_NAME: [withdrawn.pk]})
    assert asked.status_code == 200 and "Ja, anonymisieren" in asked.content.decode()
    assert TextBlock.objects.filter(parent=withdrawn).exists(), "nothing happens before the confirmation"
    done = client.post(
        changelist,
        {"action": "anonymise_selected", ACTION_CHECKBOX_NAME: [withdrawn.pk], "anonymise_confirmed": "ja"},
    )
    assert done.status_code == 302
    release = PressRelease.objects.get(pk=withdrawn.pk)
    assert (release.lead, release.image_id) == ("", None)
    for model in (TextBlock, QuoteBlock, ImageBlock):
        assert not model.objects.filter(parent=release).exists()
    kept = [version.serialized_data for version in history.versions_of(release.pk)]
    assert not [data for data in kept if "Geheimer Text" in data or "Vertraulicher" in data], (
        "history kept texts"
    )
    assert AuditEntry.objects.filter(release=release, action=AuditEntry.Action.ANONYMISED).exists()
    page = client.get(release.get_absolute_url())
    assert page.status_code == 410
    text = page.content.decode()
    assert "zurückgezogen" in text and "Falsche Zahlen." in text
    assert "Geheimer Text" not in text and "Vertraulicher Vorspann" not in text


def test_only_an_admin_may_anonymise_and_only_a_withdrawn_release(withdrawn):
    with pytest.raises(workflow.WorkflowError):
        workflow.anonymise(withdrawn, make_user("sprecher", "Pressesprecher/in"))
    live = make_release()
    with pytest.raises(workflow.WorkflowError):
        workflow.anonymise(live, make_user("chefin", superuser=True))
    assert TextBlock.objects.filter(parent=withdrawn).exists()
