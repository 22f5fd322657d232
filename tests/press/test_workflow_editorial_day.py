"""The workflow rules behind the editorial day: what an approval is of (content, not metadata), the
approver's own correction, CRLF line ends, what a release needs before it is submitted, publish
buttons that promised something else, combined steps, reasons for sending back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from press import signals, workflow
from press.models import AuditEntry, PressRelease, QuoteBlock
from tests.factories import (
    add_quote,
    add_text,
    make_contact,
    make_partnership,
    make_person,
    make_release,
    make_user,
)

pytestmark = pytest.mark.django_db
Status = PressRelease.Status


@pytest.fixture
def people():
    return {
        "editor": make_user("redakteurin", "Redaktion"),
        "speaker": make_user("sprecherin", "Pressesprecher/in"),
    }


@pytest.fixture
def steps():
    seen = []

    def receiver(sender, release, user, step, note, **kwargs):
        seen.append((step, user.get_username(), note))

    signals.release_step.connect(receiver)
    yield seen
    signals.release_step.disconnect(receiver)


def approved(people, **kwargs):
    kwargs.setdefault("status", Status.DRAFT)
    release = make_release(lead="Die Stadt baut Radwege.", **kwargs)
    add_text(release, "<p>Der Bau beginnt im Mai.</p>")
    workflow.transition(release, "submit", people["editor"])
    workflow.transition(release, "approve", people["speaker"])
    release.refresh_from_db()
    return release


def saved_by(release, user, change, **kwargs):
    def write():
        change(release)
        release.save()

    return workflow.save(release, user, write=write, expected_version=release.version, **kwargs)


def test_metadata_never_resets_an_approval(people):
    release = approved(people)
    partnership = make_partnership()

    def change(r):
        r.contact = make_contact()
        r.slug = "neue-adresse"
        r.tags.add("Verkehr")
        r.partnerships.add(partnership)

    saved_by(release, people["editor"], change)
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    assert sorted(workflow.METADATA_RELATIONS) == ["partnerships", "projects", "tags"]


def test_redaktion_moving_the_time_resets_an_approval_the_spokesperson_moving_it_does_not(people):
    """The time decides when the public sees it: the approval covered the time it was given for
    (issue 12, finding 2), unless the mover may publish and so could schedule it anyway."""
    release = approved(people)

    def later(r):
        r.published_at = timezone.now() + timedelta(days=3)

    saved_by(release, people["speaker"], later)
    release.refresh_from_db()
    assert release.status == Status.APPROVED
    saved_by(
        release, people["editor"], lambda r: setattr(r, "published_at", r.published_at + timedelta(days=1))
    )
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW


def test_a_content_change_by_someone_else_resets_the_approval(people, steps):
    release = approved(people)
    outcome = saved_by(release, people["editor"], lambda r: setattr(r, "lead", "Anders."))
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW and release.submitted_by == people["editor"]
    assert len(outcome.messages) == 1
    assert "muss er erneut freigegeben werden" in outcome.messages[0][1]


def test_the_approver_corrects_keeps_the_approval_and_the_author_is_told(
    people, steps, django_capture_on_commit_callbacks
):
    release = approved(people, contact=make_contact())
    with django_capture_on_commit_callbacks(execute=True):
        outcome = saved_by(
            release, people["speaker"], lambda r: setattr(r, "lead", "Korrigiert."), step="publish"
        )
    release.refresh_from_db()
    assert release.state == PressRelease.State.PUBLISHED
    assert release.submitted_by == people["editor"] and release.approved_by == people["speaker"]
    entry = AuditEntry.objects.filter(release=release, action="approved").latest("pk")
    assert entry.note == "Bei der Freigabe korrigiert: Vorspann"
    assert ("approver_correction", "sprecherin", entry.note) in steps
    assert ("publish", "sprecherin", "") in steps
    [(_level, text)] = outcome.messages
    assert "ist veröffentlicht" in text and "Redaktion wird darüber informiert" in text


def test_crlf_from_a_browser_is_no_change(people):
    release = approved(people, contact=make_contact())
    add_quote(release, make_person(), text="Erste Zeile.\nZweite Zeile.")
    before = workflow.approval_fingerprint(release)
    QuoteBlock.objects.filter(parent=release).update(text="Erste Zeile.\r\nZweite Zeile.")
    assert workflow.approval_fingerprint(release) == before
    assert workflow.same_text("a\r\nb\rc") == "a\nb\nc"


def test_a_release_needs_a_lead_and_a_text_to_be_submitted(people):
    release = make_release(title="Nur ein Titel", lead="", status=Status.DRAFT)
    assert workflow.checklist(release)["submit"] == [
        "Der Vorspann fehlt.",
        "Es fehlt ein Textblock mit Text.",
    ]
    with pytest.raises(workflow.WorkflowError, match="Vorspann fehlt"):
        workflow.transition(release, "submit", people["editor"])
    add_text(release, "<p>&nbsp;</p>")
    release.lead = "Vorspann."
    release.save()
    with pytest.raises(workflow.WorkflowError, match="Textblock"):
        workflow.transition(release, "submit", people["editor"])
    add_text(release, "<p>Text.</p>")
    workflow.transition(release, "submit", people["editor"])
    assert release.status == Status.IN_REVIEW


def test_a_publish_button_that_promised_now_does_not_schedule(people):
    release = approved(people, contact=make_contact(), published_at=timezone.now() - timedelta(hours=1))
    later = timezone.now() + timedelta(days=1)
    outcome = saved_by(
        release, people["speaker"], lambda r: setattr(r, "published_at", later), step="publish", intent="now"
    )
    release.refresh_from_db()
    assert release.status == Status.APPROVED and release.published_at == later  # saved, not published
    [(_level, text)] = outcome.messages
    assert "Nicht veröffentlicht" in text and "planen" in text
    saved_by(
        release, people["speaker"], lambda r: None, step="publish", intent=workflow.publish_intent(later)
    )
    release.refresh_from_db()
    assert release.state == PressRelease.State.SCHEDULED


def test_approve_and_publish_is_one_step_all_or_nothing(people):
    release = make_release(lead="Vorspann.", status=Status.DRAFT)  # no contact: cannot be published
    add_text(release)
    workflow.transition(release, "submit", people["editor"])
    speaker = people["speaker"]
    assert [s.name for s in workflow.offered(speaker, release)][:2] == ["approve_publish", "approve"]
    assert "approve_publish" not in [s.name for s in workflow.offered(people["editor"], release)]
    outcome = saved_by(release, speaker, lambda r: None, step="approve_publish")
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW  # the approval was undone with the refused publishing
    assert "Pressekontakt" in outcome.messages[0][1]
    release.contact = make_contact()
    outcome = saved_by(release, speaker, lambda r: None, step="approve_publish")
    release.refresh_from_db()
    assert release.state == PressRelease.State.PUBLISHED, outcome.messages


def test_sending_back_needs_a_reason(people):
    release = approved(people)
    with pytest.raises(workflow.WorkflowError, match="Grund"):
        workflow.transition(release, "return", people["speaker"])
    workflow.transition(release, "return", people["speaker"], note="Zahlen prüfen.")
    assert release.status == Status.DRAFT
