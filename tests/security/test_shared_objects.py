"""Finding 2: review cannot be bypassed through shared library objects. A change to what readers see
of an image or a quoted person shown by an approved, scheduled or published release needs the
publish right (others get a form error), is logged in each such release, and makes an approval
lapse (the approval fingerprint covers what the reader sees)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cityhall.library.models import Image, Person
from press import workflow
from press.models import AuditEntry, PressRelease
from tests.factories import (
    add_image,
    add_quote,
    add_text,
    image_bytes,
    make_contact,
    make_image,
    make_person,
    make_release,
    make_user,
)
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db
Status = PressRelease.Status
Action = AuditEntry.Action


def image_url(image):
    return f"/admin/cityhall/image/{image.pk}/change/"


def person_url(person):
    return f"/admin/cityhall/person/{person.pk}/change/"


def post_changed(client, url, form_id, **changes):
    data = form_data(client.get(url), form_id)
    data.update(changes)
    return client.post(url, data)


def approved_release(approver, **kwargs):
    release = make_release(status=Status.DRAFT, contact=make_contact(), **kwargs)
    add_text(release)
    return release


def approve(release, author, approver):
    workflow.transition(release, "submit", author)
    workflow.transition(release, "approve", approver)
    release.refresh_from_db()
    return release


@pytest.mark.parametrize("role", ["Redaktion", "Partnerschaften"])
def test_caption_of_an_image_on_a_published_release_is_refused_without_the_publish_right(client, role):
    image = make_image(caption="Die Rheinpromenade")
    release = make_release(title="Veröffentlicht mit Bild", image=image)
    client.force_login(make_user("ohne-recht", role))
    response = post_changed(client, image_url(image), "image_form", caption="Etwas ganz anderes")
    assert response.status_code == 200, "the form is shown again with the error"
    assert "dürfen Sie hier nicht" in response.content.decode()
    image.refresh_from_db()
    assert image.caption == "Die Rheinpromenade"
    assert not AuditEntry.objects.filter(release=release).exists()


def test_partnerships_role_is_not_told_the_titles(client):
    image = make_image()
    make_release(title="Geplante Mitteilung", image=image, published_at=timezone.now() + timedelta(days=2))
    client.force_login(make_user("partner", "Partnerschaften"))
    response = post_changed(client, image_url(image), "image_form", credit="Foto: jemand")
    text = response.content.decode()
    assert "in 1 Pressemitteilung" in text
    assert "Geplante Mitteilung" not in text


@pytest.mark.parametrize("field", ["alt_text", "credit"])
def test_redaktion_may_not_change_alt_or_credit_of_an_image_in_an_image_block(client, field):
    image = make_image()
    release = make_release()
    add_image(release, image)
    client.force_login(make_user("redakteur", "Redaktion"))
    response = post_changed(client, image_url(image), "image_form", **{field: "geändert"})
    assert response.status_code == 200
    image.refresh_from_db()
    assert getattr(image, field) != "geändert"


def test_redaktion_may_not_replace_the_file(client):
    image = make_image()
    make_release(image=image)
    before = image.content_hash
    client.force_login(make_user("redakteur", "Redaktion"))
    data = form_data(client.get(image_url(image)), "image_form")
    data["file"] = ContentFile(image_bytes(color=(0, 0, 255)), name="neu.jpg")
    response = client.post(image_url(image), data)
    assert response.status_code == 200
    image.refresh_from_db()
    assert image.content_hash == before


def test_an_image_used_only_by_drafts_is_free_to_change(client):
    image = make_image()
    make_release(status=Status.DRAFT, image=image)
    client.force_login(make_user("redakteur", "Redaktion"))
    response = post_changed(client, image_url(image), "image_form", caption="Neu")
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "Neu"


def test_spokesperson_changes_a_live_image_and_each_release_logs_it(client):
    image = make_image(caption="Alt")
    first, second = make_release(image=image), make_release()
    add_image(second, image)
    untouched = make_release(status=Status.DRAFT, image=image)
    client.force_login(make_user("sprecherin", "Pressesprecher/in"))
    response = post_changed(client, image_url(image), "image_form", caption="Neu")
    assert response.status_code == 302
    for release in (first, second):
        entry = AuditEntry.objects.get(release=release)
        assert entry.action == Action.EDITED_LIVE
        assert "Bildunterschrift" in entry.note and "Bibliothek" in entry.note
        assert entry.user_name == "sprecherin"
        release.refresh_from_db()
        assert release.approved_fingerprint == workflow.approval_fingerprint(release)
    assert not AuditEntry.objects.filter(release=untouched).exists()


def test_renaming_a_quoted_official_is_refused_for_redaktion_and_logged_for_spokespeople(client):
    person = make_person(name="Stephan Keller")
    release = make_release()
    add_quote(release, person)
    client.force_login(make_user("redakteur", "Redaktion"))
    response = post_changed(client, person_url(person), "person_form", name="Jemand Anders")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.name == "Stephan Keller"

    client.force_login(make_user("sprecher", "Pressesprecher/in"))
    response = post_changed(client, person_url(person), "person_form", honorific="Dr.")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(release=release)
    assert entry.action == Action.EDITED_LIVE and "Titel" in entry.note


@pytest.mark.parametrize(
    "change",
    [
        {"caption": "Andere Unterschrift"},
        {"credit": "Foto: jemand anderes"},
        {"alt_text": "Anderer Alternativtext"},
        {"content_hash": "0" * 64},
    ],
)
def test_approval_fingerprint_covers_what_the_reader_sees_of_the_image(change):
    image = make_image()
    release = make_release(status=Status.APPROVED)
    add_image(release, image)
    lead = make_release(status=Status.APPROVED, image=make_image())
    before, lead_before = workflow.approval_fingerprint(release), workflow.approval_fingerprint(lead)
    Image.objects.filter(pk__in=[image.pk, lead.image_id]).update(**change)
    assert workflow.approval_fingerprint(PressRelease.objects.get(pk=release.pk)) != before
    assert workflow.approval_fingerprint(PressRelease.objects.get(pk=lead.pk)) != lead_before


def test_approval_fingerprint_covers_the_speakers_name():
    person = make_person(name="Stephan Keller")
    release = make_release(status=Status.APPROVED)
    add_quote(release, person, role="Oberbürgermeister")
    before = workflow.approval_fingerprint(release)
    Person.objects.filter(pk=person.pk).update(name="Jemand Anders")
    assert workflow.approval_fingerprint(PressRelease.objects.get(pk=release.pk)) != before


def test_a_change_in_the_library_makes_an_approval_lapse():
    author, approver = make_user("autorin", "Redaktion"), make_user("pruefer", "Pressesprecher/in")
    other_spokesperson = make_user("andere", "Pressesprecher/in")
    image = make_image()
    release = approve(approved_release(approver, image=image), author, approver)
    assert release.status == Status.APPROVED
    image.caption = "Nach der Freigabe geändert"
    image.changed_by = other_spokesperson
    image.save()
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW
    entry = AuditEntry.objects.filter(release=release).first()
    assert entry.action == Action.BACK_TO_REVIEW and "Bildunterschrift" in entry.note
    with pytest.raises(workflow.WorkflowError):
        workflow.transition(release, "publish", approver)


def test_the_approver_may_correct_the_image_and_keeps_the_approval():
    author, approver = make_user("autorin", "Redaktion"), make_user("pruefer", "Pressesprecher/in")
    image = make_image()
    release = approve(approved_release(approver, image=image), author, approver)
    image.credit = "Foto: richtig"
    image.changed_by = approver
    image.save()
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    workflow.transition(release, "publish", approver)
    assert PressRelease.objects.get(pk=release.pk).status == Status.PUBLISHED


def test_a_change_without_a_user_is_logged_too():
    """The import, a command or the shell: no form asks, the log still says it."""
    image = make_image()
    release = make_release(image=image)
    image.alt_text = "Neuer Alternativtext"
    image.save()
    entry = AuditEntry.objects.get(release=release)
    assert entry.action == Action.EDITED_LIVE and entry.user is None


def test_redaktion_moving_the_time_of_an_approved_release_lapses_the_approval(client):
    author, approver = make_user("autorin", "Redaktion"), make_user("pruefer", "Pressesprecher/in")
    release = approve(
        approved_release(approver, published_at=timezone.now() + timedelta(days=1)), author, approver
    )
    client.force_login(author)
    url = f"/admin/press/pressrelease/{release.pk}/change/"
    data = form_data(client.get(url))
    later = timezone.localtime(release.published_at + timedelta(days=1))
    data["published_at_0"] = later.strftime("%d.%m.%Y")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    release.refresh_from_db()
    assert timezone.localtime(release.published_at).date() == later.date()
    assert release.status == Status.IN_REVIEW
    assert AuditEntry.objects.filter(release=release).first().action == Action.BACK_TO_REVIEW


def test_the_migration_moves_unchanged_approvals_over_and_keeps_lapsed_ones_lapsed():
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from press.services.rules import fingerprint

    migration = importlib.import_module("press.migrations.0012_approval_fingerprint_covers_library_objects")
    unchanged, lapsed = (
        make_release(status=Status.APPROVED, image=make_image()),
        make_release(status=Status.APPROVED),
    )
    PressRelease.objects.filter(pk=unchanged.pk).update(
        approved_fingerprint=fingerprint(unchanged, metadata=False, library=False)
    )
    PressRelease.objects.filter(pk=lapsed.pk).update(approved_fingerprint="changed-after-approval")
    migration.refresh_fingerprints(apps, SimpleNamespace(connection=connection))  # it asks only the alias
    assert PressRelease.objects.get(pk=unchanged.pk).approved_fingerprint == workflow.approval_fingerprint(
        unchanged
    )
    assert PressRelease.objects.get(pk=lapsed.pk).approved_fingerprint == "changed-after-approval"
