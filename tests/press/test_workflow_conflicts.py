"""Optimistic locking: two editors open the same release; the second save is refused with a conflict
message that shows what changed and keeps the second editor's text on screen. Actions and
list_editable are version-checked too."""

import pytest
import reversion
from django.test import Client
from django.urls import reverse

from press import history, workflow
from press.models import PressRelease, TextBlock
from tests.factories import add_text, make_contact, make_release, make_user
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:press_pressrelease_changelist")


@pytest.fixture
def editors():
    first, second = Client(), Client()
    first.force_login(make_user("anna", "Redaktion"))
    second.force_login(make_user("bert", "Redaktion"))
    return first, second


def draft(**kwargs):
    """A draft with its first revision, as one made in the admin or by the import has."""
    release = make_release(status=PressRelease.Status.DRAFT, contact=make_contact(), **kwargs)
    with reversion.create_revision():
        history.record(release)
    return release


def test_second_of_two_concurrent_saves_is_refused_and_keeps_its_text(editors):
    release = draft(title="Stadtfest", lead="Am Wochenende wird gefeiert.")
    add_text(release, "<p>Programm folgt.</p>")
    with reversion.create_revision():
        history.record(release)
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    anna, bert = editors
    annas_form, berts_form = form_data(anna.get(url)), form_data(bert.get(url))

    first = anna.post(url, {**annas_form, "title": "Stadtfest am Rhein"})
    second = bert.post(url, {**berts_form, "lead": "Bert hat den Vorspann umgeschrieben."})

    assert first.status_code == 302
    assert second.status_code == 200
    release.refresh_from_db()
    assert release.title == "Stadtfest am Rhein"  # Anna's save stands
    assert release.lead == "Am Wochenende wird gefeiert."  # Bert's did not overwrite anything
    assert release.version == 2
    html = second.content.decode()
    assert "Bearbeitungskonflikt" in html
    assert "anna" in html  # who saved meanwhile
    changes = second.context["conflict"]["changes"]
    assert [c["label"] for c in changes] == ["Titel"]
    assert (changes[0]["old"], changes[0]["new"]) == ("Stadtfest", "Stadtfest<ins> am Rhein</ins>")
    assert "Bert hat den Vorspann umgeschrieben." in html  # still in the form
    assert second.context["adminform"].form["lead"].value() == "Bert hat den Vorspann umgeschrieben."


def test_after_seeing_the_conflict_the_second_editor_can_save_knowingly(editors):
    release = draft(title="Stadtfest")
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    anna, bert = editors
    berts_form = form_data(bert.get(url))
    anna.post(url, {**form_data(anna.get(url)), "title": "Stadtfest am Rhein"})
    refused = bert.post(url, {**berts_form, "lead": "Neu von Bert."})

    again = bert.post(url, {**form_data(refused), "title": "Stadtfest am Rhein"})

    assert again.status_code == 302
    release.refresh_from_db()
    assert (release.title, release.lead, release.version) == ("Stadtfest am Rhein", "Neu von Bert.", 3)


def test_blocks_changed_by_the_first_editor_are_not_lost(editors):
    release = draft(title="Stadtfest")
    block = add_text(release, "<p>Alt.</p>")
    with reversion.create_revision():
        history.record(release)
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    anna, bert = editors
    annas_form, berts_form = form_data(anna.get(url)), form_data(bert.get(url))
    prefix = next(key for key in annas_form if key.endswith("-0-html")).removesuffix("-0-html")

    assert anna.post(url, {**annas_form, f"{prefix}-0-html": "<p>Von Anna.</p>"}).status_code == 302
    second = bert.post(url, {**berts_form, f"{prefix}-0-html": "<p>Von Bert.</p>"})

    assert second.status_code == 200
    assert TextBlock.objects.get(pk=block.pk).html == "<p>Von Anna.</p>"
    assert any("Von Anna." in str(c["new"]) for c in second.context["conflict"]["changes"])


def test_the_version_check_holds_when_the_race_is_lost_after_validation():
    """Of two saves that both passed their checks, the conditional UPDATE lets exactly one win."""
    release = draft()
    workflow.claim_version(release, 1)
    other = PressRelease.objects.get(pk=release.pk)
    with pytest.raises(workflow.ConflictError):
        workflow.claim_version(other, 1)
    assert PressRelease.objects.get(pk=release.pk).version == 2


def test_list_editable_is_version_checked(editors):
    release = draft(title="Zeitplan")
    anna, bert = editors
    annas_list = form_data(anna.get(CHANGELIST), form_id="changelist-form")
    bert.post(
        reverse("admin:press_pressrelease_change", args=[release.pk]),
        {
            **form_data(bert.get(reverse("admin:press_pressrelease_change", args=[release.pk]))),
            "title": "Zeitplan neu",
        },
    )
    annas_list["form-0-published_at_1"] = "06:00:00"

    response = anna.post(CHANGELIST, {**annas_list, "_save": "Speichern"})

    assert response.status_code == 200
    assert "inzwischen von jemand anderem geändert" in response.content.decode()
    release.refresh_from_db()
    assert release.title == "Zeitplan neu"
    assert release.version == 2


def test_actions_are_version_checked(editors):
    release = draft(title="Aktion")
    anna, bert = editors
    shown_version = release.version
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    bert.post(url, {**form_data(bert.get(url)), "lead": "Inzwischen geändert."})

    response = anna.post(
        CHANGELIST,
        {
            "action": "submit_selected",
            "_selected_action": [release.pk],
            f"_version_{release.pk}": shown_version,
        },
    )

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == PressRelease.Status.DRAFT
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("inzwischen von jemand anderem geändert" in m for m in messages)


def test_actions_without_the_shown_version_are_refused(editors):
    release = draft(title="Ohne Fassung")
    anna, _ = editors
    response = anna.post(CHANGELIST, {"action": "submit_selected", "_selected_action": [release.pk]})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == PressRelease.Status.DRAFT


def test_the_changelist_carries_each_rows_version(editors):
    release = draft()
    anna, _ = editors
    html = anna.get(CHANGELIST).content.decode()
    assert f'name="_version_{release.pk}" value="{release.version}"' in html


def test_an_import_changes_the_version_so_open_forms_conflict(editors, tmp_path):
    from press.interchange import import_data

    release = draft(title="Importiert", slug="importiert")
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    anna, _ = editors
    annas_form = form_data(anna.get(url))
    import_data(
        {"format": "cityhall-press/1", "releases": [{"slug": "importiert", "title": "Aus dem Import"}]},
        tmp_path,
    )

    response = anna.post(url, {**annas_form, "lead": "Annas Text"})

    assert response.status_code == 200
    assert PressRelease.objects.get(pk=release.pk).title == "Aus dem Import"
