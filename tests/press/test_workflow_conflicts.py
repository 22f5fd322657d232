"""Optimistic locking: two editors open the same release; the second save is refused with a conflict
message that shows what changed and keeps the second editor's text on screen. Actions and
list_editable are version-checked too."""

import time

import pytest
import reversion
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from press import history, workflow
from press.models import PressRelease, TextBlock
from tests.factories import add_text, make_contact, make_release, make_user
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:press_pressrelease_changelist")


@pytest.fixture(autouse=True)
def _no_one_present():
    cache.clear()  # who has which release open lives in the cache; numbers are reused between tests


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


def test_a_save_after_a_colleagues_merges_per_field(editors):
    """Anna changed the title, Bert (who opened the same version) the lead: both stay."""
    release = draft(title="Stadtfest", lead="Am Wochenende wird gefeiert.")
    add_text(release, "<p>Programm folgt.</p>")
    with reversion.create_revision():
        history.record(release)
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    anna, bert = editors
    annas_form, berts_form = form_data(anna.get(url)), form_data(bert.get(url))

    first = anna.post(url, {**annas_form, "title": "Stadtfest am Rhein"})
    second = bert.post(url, {**berts_form, "lead": "Bert hat den\r\nVorspann umgeschrieben."}, follow=True)

    assert first.status_code == 302
    assert second.redirect_chain
    release.refresh_from_db()
    assert release.title == "Stadtfest am Rhein"  # Anna's change is not reverted
    assert release.lead == "Bert hat den\nVorspann umgeschrieben."
    assert release.version == 3
    messages = [str(m) for m in second.context["messages"]]
    assert any("Zusammengeführt" in m and "anna" in m and "Titel" in m for m in messages), messages


def test_a_field_both_changed_is_shown_side_by_side_and_the_choice_is_saved(editors):
    release = draft(title="Stadtfest", lead="Alt.", subtitle="Untertitel alt")
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    anna, bert = editors
    annas_form, berts_form = form_data(anna.get(url)), form_data(bert.get(url))
    anna.post(url, {**annas_form, "lead": "Annas Vorspann.", "subtitle": "Annas Untertitel"})

    refused = bert.post(url, {**berts_form, "lead": "Berts Vorspann.", "title": "Stadtfest 2026"})

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Bearbeitungskonflikt" in html and "anna" in html
    rows = refused.context["conflict"]["both"]
    assert [(row["name"], row["mine"], row["theirs"]) for row in rows] == [
        ("lead", "Berts Vorspann.", "Annas Vorspann.")
    ]
    assert refused.context["conflict"]["taken"] == ["Untertitel"]
    assert PressRelease.objects.get(pk=release.pk).lead == "Annas Vorspann."

    again = bert.post(url, {**form_data(refused), "_merge_lead": "theirs"})

    assert again.status_code == 302
    release.refresh_from_db()
    assert (release.title, release.lead, release.subtitle) == (
        "Stadtfest 2026",
        "Annas Vorspann.",
        "Annas Untertitel",
    )
    assert release.version == 3


def test_a_choice_made_against_an_older_version_is_asked_again(editors):
    release = draft(title="Stadtfest", lead="Alt.")
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    anna, bert = editors
    annas_form, berts_form = form_data(anna.get(url)), form_data(bert.get(url))
    anna.post(url, {**annas_form, "lead": "Annas Vorspann."})
    refused = bert.post(url, {**berts_form, "lead": "Berts Vorspann."})
    anna.post(url, {**form_data(anna.get(url)), "lead": "Annas zweiter Vorspann."})

    again = bert.post(url, {**form_data(refused), "_merge_lead": "mine"})

    assert again.status_code == 200
    assert PressRelease.objects.get(pk=release.pk).lead == "Annas zweiter Vorspann."


def test_blocks_changed_only_by_the_colleague_are_kept(editors):
    release = draft(title="Stadtfest")
    block = add_text(release, "<p>Alt.</p>")
    with reversion.create_revision():
        history.record(release)
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    anna, bert = editors
    annas_form, berts_form = form_data(anna.get(url)), form_data(bert.get(url))
    prefix = next(key for key in annas_form if key.endswith("-0-html")).removesuffix("-0-html")

    assert anna.post(url, {**annas_form, f"{prefix}-0-html": "<p>Von Anna.</p>"}).status_code == 302
    second = bert.post(url, {**berts_form, "lead": "Berts Vorspann."})

    assert second.status_code == 302
    assert TextBlock.objects.get(pk=block.pk).html == "<p>Von Anna.</p>"
    assert PressRelease.objects.get(pk=release.pk).lead == "Berts Vorspann."


def test_blocks_changed_by_both_wait_for_a_choice(editors):
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
    [row] = second.context["conflict"]["both"]
    assert (row["mine"], row["theirs"]) == ("Von Bert.", "Von Anna.")

    again = bert.post(url, {**form_data(second), f"_merge_{row['name']}": "mine"})

    assert again.status_code == 302
    assert TextBlock.objects.get(pk=block.pk).html == "<p>Von Bert.</p>"


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


def test_who_else_has_a_release_open_is_shown_and_expires(editors):
    from press.admin import presence

    release = draft(title="Offen")
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    beat = reverse("admin:press_pressrelease_presence", args=[release.pk])
    anna, bert = editors

    assert "ebenfalls geöffnet" not in anna.get(url).content.decode()
    assert "Gerade ebenfalls geöffnet von: anna" in bert.get(url).content.decode()
    assert anna.post(beat).json()["others"] == ["bert"]
    assert anna.get(beat).status_code == 405
    bert.post(beat, {"leave": "1"})
    assert anna.post(beat).json()["others"] == []
    anna_user = anna.get(url).wsgi_request.user
    presence.report(release.pk, anna_user)
    later = time.time() + presence.TTL + 1
    assert presence.others(release.pk, bert.get(url).wsgi_request.user, now=later) == []


def test_presence_is_only_for_those_who_may_see_the_release():
    release = draft(title="Geheim")
    outsider = Client()
    outsider.force_login(make_user("olaf"))  # staff without press rights
    beat = reverse("admin:press_pressrelease_presence", args=[release.pk])
    assert outsider.post(beat).status_code in (403, 404)
