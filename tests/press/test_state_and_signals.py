"""One state and one write path: ``PressRelease.state`` and its SQL twin agree for every state, and
every write of a release (admin save, list_editable, workflow step, correction, restore, import)
sends exactly one signal of press/signals.py per event, after commit, and none when rolled back."""

from datetime import timedelta

import pytest
import reversion
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from press import history, signals, workflow
from press.interchange import import_data
from press.models import PressRelease
from tests.factories import add_text, make_contact, make_release, make_user
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db

State = PressRelease.State
Status = PressRelease.Status
HOUR = timedelta(hours=1)


# --- one state ---------------------------------------------------------------------------------------


def one_of_each():
    now = timezone.now()
    return {
        State.DRAFT: make_release(status=Status.DRAFT),
        State.IN_REVIEW: make_release(status=Status.IN_REVIEW),
        State.APPROVED: make_release(status=Status.APPROVED, published_at=now + HOUR),
        State.SCHEDULED: make_release(status=Status.PUBLISHED, published_at=now + HOUR),
        State.PUBLISHED: make_release(status=Status.PUBLISHED, published_at=now - HOUR),
        State.WITHDRAWN: make_release(status=Status.WITHDRAWN, withdrawn_at=now),
    }


@pytest.mark.parametrize("state", list(State))
def test_property_and_queryset_agree_for_every_state(state):
    releases = one_of_each()
    assert {release.state for release in releases.values()} == set(State)

    expected = {release.pk for release in releases.values() if release.state == state}
    assert set(PressRelease.objects.in_state(state).values_list("pk", flat=True)) == expected
    annotated = PressRelease.objects.with_state().filter(current_state=state)
    assert set(annotated.values_list("pk", flat=True)) == expected
    assert expected == {releases[state].pk}


def test_state_follows_the_clock_in_sql_and_in_python():
    release = make_release(status=Status.PUBLISHED, published_at=timezone.now() + HOUR)
    later = timezone.now() + 2 * HOUR
    assert release.state_at(later) == State.PUBLISHED
    assert PressRelease.objects.in_state(State.PUBLISHED, now=later).get() == release
    assert PressRelease.objects.with_state(now=later).get().current_state == State.PUBLISHED


def test_one_set_of_labels():
    assert [str(label) for label in State.labels] == [
        "Entwurf",
        "In Prüfung",
        "Freigegeben",
        "Geplant",
        "Veröffentlicht",
        "Zurückgezogen",
    ]
    for status in Status:
        assert status.label == State(status.value).label


# --- one write path, one signal per event -----------------------------------------------------------


@pytest.fixture
def received():
    """The signals sent, as (name, release pk, extra arguments)."""
    log = []

    def receiver(name):
        def receive(sender, signal, release, user, via, **kwargs):
            log.append((name, release.pk, via, kwargs))

        return receive

    receivers = {
        "published": receiver("published"),
        "updated": receiver("updated"),
        "withdrawn": receiver("withdrawn"),
    }
    for name, function in receivers.items():
        getattr(signals, f"release_{name}").connect(function)
    yield log
    for name, function in receivers.items():
        getattr(signals, f"release_{name}").disconnect(function)


@pytest.fixture
def people():
    return {
        "editor": make_user("redakteurin", "Redaktion"),
        "speaker": make_user("sprecherin", "Pressesprecher/in"),
        "speaker2": make_user("sprecher", "Pressesprecher/in"),
    }


def approved(people, published_at):
    release = make_release(status=Status.DRAFT, contact=make_contact(), published_at=published_at)
    add_text(release)
    workflow.transition(release, "submit", people["editor"])
    workflow.transition(release, "approve", people["speaker"])
    return release


def test_publishing_now_sends_published_once(people, received, django_capture_on_commit_callbacks):
    release = approved(people, timezone.now() - HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(release, "publish", people["speaker2"])
    assert received == [("published", release.pk, "transition", {"scheduled": False})]


def test_a_scheduled_publish_sends_published_once_at_the_step(
    people, received, django_capture_on_commit_callbacks
):
    release = approved(people, timezone.now() + HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(release, "publish", people["speaker2"])
        workflow.transition(release, "unschedule", people["speaker2"])
    assert received == [
        ("published", release.pk, "transition", {"scheduled": True}),
        ("withdrawn", release.pk, "transition", {"was_public": False}),
    ]


def test_withdrawing_sends_withdrawn_once(people, received, django_capture_on_commit_callbacks):
    release = make_release(contact=make_contact())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(release, "withdraw", people["speaker"])
    assert received == [("withdrawn", release.pk, "transition", {"was_public": True})]


def test_drafting_steps_send_nothing(people, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approved(people, timezone.now() + HOUR)
    assert received == []


def test_a_rolled_back_write_sends_nothing(people, received, django_capture_on_commit_callbacks):
    release = approved(people, timezone.now() - HOUR)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        workflow.transition(release, "publish", people["speaker2"])
        raise RuntimeError("after the step, before the commit")
    assert received == []
    assert PressRelease.objects.get(pk=release.pk).status == Status.APPROVED


def test_a_refused_step_sends_nothing(people, received, django_capture_on_commit_callbacks):
    release = make_release(contact=make_contact())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.WorkflowError):
        workflow.transition(release, "publish", people["speaker"])
    assert received == []


def test_admin_save_of_a_live_release_sends_updated_once(
    client, people, received, django_capture_on_commit_callbacks
):
    release = make_release(contact=make_contact(), title="Live")
    with reversion.create_revision():
        history.record(release)
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(people["speaker"])
    data = form_data(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "lead": "Neuer Vorspann."})
    assert response.status_code == 302
    assert received == [("updated", release.pk, "admin", {"scheduled": False})]

    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(client.get(url)))  # saved unchanged
    assert received == []


def test_admin_save_that_sends_a_scheduled_release_back_to_review_sends_withdrawn(
    client, people, received, django_capture_on_commit_callbacks
):
    release = approved(people, timezone.now() + HOUR)
    workflow.transition(release, "publish", people["speaker2"])
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**form_data(client.get(url)), "lead": "Anders."})
    assert PressRelease.objects.get(pk=release.pk).status == Status.IN_REVIEW
    assert received == [("withdrawn", release.pk, "admin", {"was_public": False})]


def test_admin_save_with_a_publish_step_sends_published_once(
    client, people, received, django_capture_on_commit_callbacks
):
    release = approved(people, timezone.now() - HOUR)
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(people["speaker2"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**form_data(client.get(url)), "_transition": "publish"})
    assert PressRelease.objects.get(pk=release.pk).state == State.PUBLISHED
    assert received == [("published", release.pk, "admin", {"scheduled": False})]


def test_a_correction_sends_updated_once(client, people, received, django_capture_on_commit_callbacks):
    release = make_release(contact=make_contact())
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(people["speaker"])
    data = form_data(client.get(url))
    now = timezone.localtime()
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-noted_at_0": now.strftime("%d.%m.%Y"),
            "corrections-0-noted_at_1": now.strftime("%H:%M:%S"),
            "corrections-0-text": "Ein Datum war falsch.",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert received == [("updated", release.pk, "admin", {"scheduled": False})]


def test_restoring_a_live_release_sends_updated_once(
    client, people, received, django_capture_on_commit_callbacks
):
    release = make_release(contact=make_contact(), lead="Erste Fassung.")
    with reversion.create_revision():
        history.record(release)
    first = Version.objects.get_for_object(release).first()
    PressRelease.objects.filter(pk=release.pk).update(lead="Zweite Fassung.")
    release.refresh_from_db()
    client.force_login(people["speaker"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:press_pressrelease_revision", args=[release.pk, first.pk]),
            {"version": release.version},
        )
    assert response.status_code == 302
    assert PressRelease.objects.get(pk=release.pk).lead == "Erste Fassung."
    assert received == [("updated", release.pk, "restore", {"scheduled": False})]


def test_import_sends_published_then_updated_and_nothing_for_an_unchanged_file(
    tmp_path, received, django_capture_on_commit_callbacks
):
    def run(lead):
        data = {
            "format": "cityhall-press/1",
            "releases": [
                {
                    "slug": "archiv-rathausdach",
                    "title": "Neues Rathausdach",
                    "lead": lead,
                    "published_at": "2019-05-02T10:00:00+02:00",
                    "status": "published",
                }
            ],
        }
        with django_capture_on_commit_callbacks(execute=True):
            import_data(data, tmp_path)

    run("Erste Fassung.")
    release = PressRelease.objects.get(slug="archiv-rathausdach")
    assert received == [("published", release.pk, "import", {"scheduled": False})]
    received.clear()
    run("Erste Fassung.")
    assert received == []
    run("Zweite Fassung.")
    assert received == [("updated", release.pk, "import", {"scheduled": False})]


def test_a_signoff_preview_of_a_scheduled_release_names_its_state(client, people):
    from press import previews

    release = make_release(published_at=timezone.now() + HOUR, contact=make_contact())
    link = previews.create(release, people["speaker"], recipient="Büro OB", purpose="signoff")
    html = client.get(previews.path_for(link)).content.decode()
    assert "(Stand: Geplant," in html
