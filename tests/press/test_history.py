"""Revision history (django-reversion): every save of a release with its blocks is a revision with
author and time; the admin shows readable differences and restores any revision, text, blocks,
images and quotes included."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from press import history, workflow
from press.models import BackgroundBlock, ImageBlock, PressRelease, QuoteBlock, TextBlock
from tests.factories import (
    add_background,
    add_image,
    add_quote,
    add_text,
    make_contact,
    make_image,
    make_partnership,
    make_person,
    make_release,
    make_user,
)
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db


def body(release):
    """The release's blocks in order, as comparable tuples."""
    blocks = [
        b
        for model in (TextBlock, QuoteBlock, ImageBlock, BackgroundBlock)
        for b in model.objects.filter(parent=release)
    ]
    blocks.sort(key=lambda b: b.ordering)
    rows = []
    for block in blocks:
        if isinstance(block, TextBlock):
            rows.append(("text", block.html))
        elif isinstance(block, QuoteBlock):
            rows.append(("quote", block.text, block.speaker_id, block.role, block.organisation))
        elif isinstance(block, ImageBlock):
            rows.append(("image", block.image_id, block.alt_text, block.caption))
        else:
            rows.append(("background", block.title, block.html))
    return rows


def snapshot(release):
    release.refresh_from_db()
    return {
        "head": (release.title, release.lead, release.image_id, release.contact_id),
        "tags": sorted(release.tags.names()),
        "partnerships": sorted(release.partnerships.values_list("pk", flat=True)),
        "body": body(release),
    }


def recorded(release):
    with reversion.create_revision():
        history.record(release)


@pytest.fixture
def editor():
    return make_user("redakteurin", "Redaktion")


def full_draft():
    release = make_release(
        title="Delegation aus Haifa",
        lead="Der Oberbürgermeister empfängt Gäste.",
        status=PressRelease.Status.DRAFT,
        image=make_image(title="Rathaus"),
        contact=make_contact(name="Pressestelle"),
        tags=["Internationales", "Haifa"],
        partnerships=[make_partnership(partner_city="Haifa", country="IL")],
    )
    add_text(release, "<p>Die Delegation besucht das Rathaus.</p>", ordering=10)
    add_quote(release, make_person(name="Anna Schmidt"), "Willkommen!", ordering=20, role="Bürgermeisterin")
    add_image(release, make_image(title="Empfang"), ordering=30, alt_text="Gruppenbild", caption="Empfang")
    add_background(release, title="Hintergrund", html="<p>Seit 1988.</p>", ordering=40)
    recorded(release)
    return release


def test_every_admin_save_is_a_revision_with_author_time_and_blocks(client, editor):
    release = full_draft()
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(editor)

    client.post(url, {**form_data(client.get(url)), "title": "Delegation aus Haifa zu Gast"})

    latest = Version.objects.get_for_object(release).select_related("revision").first()
    assert latest.revision.user == editor
    assert latest.field_dict["title"] == "Delegation aus Haifa zu Gast"
    models = {version._model for version in latest.revision.version_set.all()}
    assert models == {PressRelease, TextBlock, QuoteBlock, ImageBlock, BackgroundBlock}
    assert latest.revision.press_tags.get(release_id=release.pk).names == ["Haifa", "Internationales"]


def test_workflow_steps_are_revisions_too(editor):
    release = full_draft()
    workflow.transition(release, "submit", editor)
    latest = Version.objects.get_for_object(release).select_related("revision").first()
    assert latest.revision.user == editor
    assert latest.revision.comment == "Zur Prüfung eingereicht"
    assert latest.field_dict["status"] == "in_review"


def test_restore_reproduces_text_blocks_images_and_quotes(client, editor):
    release = full_draft()
    before = snapshot(release)
    first = Version.objects.get_for_object(release).first()
    # Then everything changes: head, tags, lead image, and the body.
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(editor)
    PressRelease.objects.filter(pk=release.pk).update(
        title="Ganz anders", lead="Neu.", image=make_image(title="X")
    )
    release.refresh_from_db()
    release.tags.set(["Sport"])
    release.partnerships.clear()
    TextBlock.objects.filter(parent=release).update(html="<p>Überschrieben.</p>")
    QuoteBlock.objects.filter(parent=release).delete()
    ImageBlock.objects.filter(parent=release).update(alt_text="Anders", caption="")
    add_text(release, "<p>Neuer Absatz.</p>", ordering=5)
    recorded(release)
    assert snapshot(release) != before

    revision_url = reverse("admin:press_pressrelease_revision", args=[release.pk, first.pk])
    page = client.get(revision_url)
    assert page.status_code == 200
    changed = {change["label"] for change in page.context["changes_to_current"]}
    assert {"Titel", "Vorspann", "Aufmacherbild", "Schlagwörter"} <= changed
    response = client.post(revision_url, {"version": release.version})

    assert response.status_code == 302
    assert snapshot(release) == before
    assert release.status == PressRelease.Status.DRAFT
    assert release.version == 2
    latest = Version.objects.get_for_object(release).select_related("revision").first()
    assert latest.revision.comment.startswith("Wiederhergestellt")
    assert url  # the editor lands on the change form again
    assert response.url == url


def test_diff_of_a_revision_is_readable(client, editor):
    release = full_draft()
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(editor)
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-0-html") and "textblock" in key).removesuffix(
        "-0-html"
    )
    client.post(
        url,
        {
            **data,
            "lead": "Der Oberbürgermeister empfängt hohe Gäste.",
            f"{prefix}-0-html": "<p>Die Delegation besucht den Landtag.</p>",
        },
    )
    latest = Version.objects.get_for_object(release).first()

    page = client.get(reverse("admin:press_pressrelease_revision", args=[release.pk, latest.pk]))

    html = page.content.decode()
    assert "Änderungen in dieser Fassung" in html
    changes = {c["label"]: (str(c["old"]), str(c["new"])) for c in page.context["changes_in_revision"]}
    assert changes["Vorspann"][1] == "Der Oberbürgermeister empfängt <ins>hohe </ins>Gäste."
    assert changes["1. Text"] == (
        "Die Delegation besucht <del>das Rathaus.</del>",
        "Die Delegation besucht <ins>den Landtag.</ins>",
    )
    assert set(changes) == {"Vorspann", "1. Text"}
    assert page.context["changes_to_current"] == []


def test_history_page_lists_revisions_with_links(client, editor):
    release = full_draft()
    workflow.transition(release, "submit", editor)
    client.force_login(editor)
    html = client.get(reverse("admin:press_pressrelease_history", args=[release.pk])).content.decode()
    for version in Version.objects.get_for_object(release):
        assert reverse("admin:press_pressrelease_revision", args=[release.pk, version.pk]) in html
    assert "Zur Prüfung eingereicht" in html
    assert "redakteurin" in html


def test_restoring_an_approved_release_sends_it_back_to_review(client, editor):
    speaker, other = make_user("sprecherin", "Pressesprecher/in"), make_user("sprecher", "Pressesprecher/in")
    release = full_draft()
    first = Version.objects.get_for_object(release).first()
    TextBlock.objects.filter(parent=release).update(html="<p>Geprüfter Text.</p>")
    workflow.transition(release, "submit", editor)
    workflow.transition(release, "approve", speaker)
    client.force_login(other)

    client.post(
        reverse("admin:press_pressrelease_revision", args=[release.pk, first.pk]),
        {"version": release.version},
    )

    release.refresh_from_db()
    assert release.status == PressRelease.Status.IN_REVIEW
    assert TextBlock.objects.get(parent=release).html == "<p>Die Delegation besucht das Rathaus.</p>"


def test_restore_refuses_a_stale_version_and_a_public_release_for_editors(client, editor):
    release = full_draft()
    first = Version.objects.get_for_object(release).first()
    url = reverse("admin:press_pressrelease_revision", args=[release.pk, first.pk])
    client.force_login(editor)

    response = client.post(url, {"version": release.version - 1 if release.version > 1 else 99})
    assert response.status_code == 302
    assert response.url == url
    assert PressRelease.objects.get(pk=release.pk).version == release.version

    PressRelease.objects.filter(pk=release.pk).update(status=PressRelease.Status.PUBLISHED)
    assert client.get(url).context["can_restore"] is False
    assert client.post(url, {"version": release.version}).status_code == 403


def test_a_deleted_release_can_be_recovered_as_a_draft(client):
    speaker = make_user("sprecherin", "Pressesprecher/in")
    release = full_draft()
    before = snapshot(release)
    client.force_login(speaker)
    with reversion.create_revision():
        history.record(release)
    response = client.post(reverse("admin:press_pressrelease_delete", args=[release.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not PressRelease.objects.exists()

    (deleted,) = Version.objects.get_deleted(PressRelease)
    assert client.get(reverse("admin:press_pressrelease_recoverlist")).status_code == 200
    page = client.get(reverse("admin:press_pressrelease_recover", args=[deleted.pk]))
    assert "Delegation aus Haifa" in page.content.decode()
    response = client.post(reverse("admin:press_pressrelease_recover", args=[deleted.pk]))

    recovered = PressRelease.objects.get()
    assert response.status_code == 302
    assert recovered.pk == release.pk
    assert recovered.status == PressRelease.Status.DRAFT
    assert snapshot(recovered) == before


def test_a_published_release_cannot_be_deleted(client):
    speaker = make_user("sprecherin", "Pressesprecher/in")
    release = make_release(title="Öffentlich")
    client.force_login(speaker)
    response = client.post(reverse("admin:press_pressrelease_delete", args=[release.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert PressRelease.objects.filter(pk=release.pk).exists()
