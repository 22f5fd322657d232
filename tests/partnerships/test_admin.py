"""The partnership admin: project dates as typed by editors, end before start refused with a form error,
the anniversaries to plan for, releases naming projects, and the role "Partnerschaften"."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from partnerships.dates import Precision
from partnerships.models import Partnership, Project, Theme
from press.models import PressRelease
from tests.factories import make_image, make_partnership, make_project, make_release
from tests.htmltree import parse

pytestmark = pytest.mark.django_db


def errors_of(response):
    """Form and inline errors of an admin change form, for assertions."""
    assert response.status_code == 200, "the form was accepted"
    errors = dict(response.context["adminform"].form.errors)
    for formset in response.context["inline_admin_formsets"]:
        for index, form_errors in enumerate(formset.formset.errors):
            for field, messages in form_errors.items():
                errors[f"{formset.formset.prefix}-{index}-{field}"] = messages
    return errors


def partnership_data(response, **fields):
    """A complete partnership form with an empty project inline."""
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = {
        "partner_city": "Reading",
        "native_name": "",
        "native_language": "",
        "country": "GB",
        "slug": "",
        "kind": "partnership",
        "status": "active",
        "status_changed_on": "",
        "status_reason": "",
        "first_contact_year": "1947",
        "since": "1988",
        "founded_on": "",
        "council_decision_on": "",
        "council_decision": "",
        "office": "",
        "contact": "",
        "summary": "",
        "description": "",
        "image": "",
        "image_alt": "",
        "image_caption": "",
        "latitude": "51.45430",
        "longitude": "-0.97810",
        "wikidata_id": "Q161491",
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data, prefix


def add_project(data, prefix, **fields):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    values = {"title": "", "start": "", "end": "", "summary": "", "participants": ""}
    values.update(fields)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value


# --- project dates ------------------------------------------------------------------------------


def test_project_end_before_start_is_a_form_error_and_saves_nothing(admin_client):
    url = reverse("admin:partnerships_partnership_add")
    data, prefix = partnership_data(admin_client.get(url))
    add_project(data, prefix, title="Jugendaustausch", start="2022", end="2021")

    errors = errors_of(admin_client.post(url, data))

    assert errors == {f"{prefix}-0-end": ["Das Ende darf nicht vor dem Beginn liegen."]}
    assert Partnership.objects.count() == 0
    assert Project.objects.count() == 0


def test_project_admin_refuses_end_before_start_too(admin_client):
    chemnitz = make_partnership(partner_city="Chemnitz")
    url = reverse("admin:partnerships_project_add")
    data = {"partnership": chemnitz.pk, "title": "LaufKulTour", "start": "10.2020", "end": "09.2020"}

    errors = errors_of(admin_client.post(url, data))

    assert errors == {"end": ["Das Ende darf nicht vor dem Beginn liegen."]}
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "stored"),
    [
        ("2020", "", (date(2020, 1, 1), "year", None, "year")),
        ("10.2020", "", (date(2020, 10, 1), "month", None, "year")),
        ("Oktober 2020", "2021", (date(2020, 10, 1), "month", date(2021, 12, 31), "year")),
        ("3.10.2020", "3.10.2020", (date(2020, 10, 3), "day", date(2020, 10, 3), "day")),
        ("", "", (None, "year", None, "year")),
    ],
)
def test_project_dates_are_typed_as_year_month_or_day(admin_client, start, end, stored):
    chemnitz = make_partnership(partner_city="Chemnitz")
    url = reverse("admin:partnerships_project_add")
    response = admin_client.post(url, {"partnership": chemnitz.pk, "title": "P", "start": start, "end": end})
    assert response.status_code == 302, errors_of(response)
    project = Project.objects.get()
    assert (project.start, project.start_precision, project.end, project.end_precision) == stored


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("irgendwann", "", "start"), ("2020", "32.12.2020", "end"), ("", "2020", "end")],
)
def test_unreadable_or_lonely_dates_are_field_errors(admin_client, start, end, field):
    url = reverse("admin:partnerships_project_add")
    data = {"partnership": make_partnership().pk, "title": "P", "start": start, "end": end}
    assert set(errors_of(admin_client.post(url, data))) == {field}


def test_change_form_shows_dates_as_they_were_typed_and_keeps_them(admin_client):
    project = make_project(
        make_partnership(), title="Bürgerbegegnung", start=date(2020, 10, 1), start_precision=Precision.MONTH
    )
    url = reverse("admin:partnerships_project_change", args=[project.pk])
    form = admin_client.get(url).context["adminform"].form
    assert (form["start"].value(), form["end"].value()) == ("10.2020", "")

    response = admin_client.post(
        url,
        {"partnership": project.partnership.pk, "title": "Bürgerbegegnung", "start": "10.2020", "end": ""},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.start, project.start_precision) == (date(2020, 10, 1), "month")


# --- partnership form ---------------------------------------------------------------------------


def test_partnership_with_all_facts_and_a_project_is_saved(admin_client):
    url = reverse("admin:partnerships_partnership_add")
    data, prefix = partnership_data(
        admin_client.get(url),
        partner_city="Moskau",
        native_name="Москва",
        native_language="ru",
        country="RU",
        status="dormant",
        status_changed_on="25.02.2022",
        status_reason="Ausgesetzt.",
        first_contact_year="",
        since="",
        founded_on="01.06.1992",
        latitude="55.75580",
        longitude="37.61730",
        wikidata_id="Q649",
        description="<p>Text <script>x</script></p>",
        image=str(make_image(title="Kreml").pk),
    )
    add_project(data, prefix, title="Moskauer Tage", start="05.2017", participants="Eine Delegation")

    response = admin_client.post(url, data)

    assert response.status_code == 302, errors_of(response)
    moskau = Partnership.objects.get()
    assert (moskau.slug, moskau.since, moskau.status_text) == ("moskau", 1992, "ruht seit 25. Februar 2022")
    assert moskau.description == "<p>Text </p>"
    assert moskau.image.title == "Kreml"
    assert moskau.projects.get().period == "Mai 2017"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": "dormant"}, "status_changed_on"),
        ({"founded_on": "01.06.1990"}, "since"),
        ({"first_contact_year": "1990"}, "first_contact_year"),
        ({"longitude": ""}, "longitude"),
        ({"latitude": "95"}, "latitude"),
        ({"wikidata_id": "Reading"}, "wikidata_id"),
        ({"native_name": "Reading"}, "native_language"),
        ({"native_name": "Warszawa", "native_language": "polnisch"}, "native_language"),
        ({"slug": "themen"}, "slug"),
    ],
)
def test_inconsistent_partnership_is_a_field_error(admin_client, fields, field):
    url = reverse("admin:partnerships_partnership_add")
    data, _ = partnership_data(admin_client.get(url), **fields)
    errors = errors_of(admin_client.post(url, data))
    assert field in errors, errors
    assert not Partnership.objects.exists()


def test_changelist_shows_status_and_next_anniversary(admin_client):
    this_year = timezone.localdate().year
    make_partnership(partner_city="Rund", since=this_year - 30 + 1)  # 30 next year
    make_partnership(
        partner_city="Moskau", since=1992, status="dormant", status_changed_on=date(2022, 2, 25), country="RU"
    )
    response = admin_client.get(reverse("admin:partnerships_partnership_changelist"))
    doc = parse(response.content)
    rows = {
        row.find("th").text: row.text
        for row in doc.find("table", id="result_list").find("tbody").find_all("tr")
    }
    assert f"30 Jahre Städtepartnerschaft ({this_year + 1})" in rows["Rund"]
    assert "ruht seit 25. Februar 2022" in rows["Moskau"]
    link = doc.find("a", href=reverse("admin:partnerships_partnership_anniversaries"))
    assert link.text == "Jubiläen der nächsten 24 Monate"


def test_anniversaries_page_lists_the_next_24_months(admin_client):
    this_year = timezone.localdate().year
    chemnitz = make_partnership(partner_city="Chemnitz", since=this_year + 1 - 40)
    make_partnership(partner_city="Zu spät", since=this_year + 3 - 40)
    response = admin_client.get(reverse("admin:partnerships_partnership_anniversaries"))

    assert response.status_code == 200
    doc = parse(response.content)
    rows = doc.find("table", class_="anniversaries").find("tbody").find_all("tr")
    assert len(rows) == 1
    cells = [rows[0].find("td"), rows[0].find("th")]
    assert cells[0].text == f"im Jahr {this_year + 1}"
    assert cells[1].find("a").attrs["href"] == reverse(
        "admin:partnerships_partnership_change", args=[chemnitz.pk]
    )
    assert "40 Jahre Städtepartnerschaft" in rows[0].text


def test_anniversaries_page_needs_staff(client):
    response = client.get(reverse("admin:partnerships_partnership_anniversaries"))
    assert response.status_code == 302


# --- releases name partnerships and projects ----------------------------------------------------


def test_release_form_offers_projects_by_autocomplete(admin_client):
    chemnitz = make_partnership(partner_city="Chemnitz")
    run = make_project(chemnitz, title="LaufKulTour")
    make_project(chemnitz, title="Kunstprojekt Gegenwarten")
    release = make_release(partnerships=[chemnitz])
    release.projects.add(run)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "press", "model_name": "pressrelease", "field_name": "projects", "term": "Lauf"},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(run.pk)]

    doc = parse(admin_client.get(reverse("admin:press_pressrelease_change", args=[release.pk])).content)
    select = doc.find("select", id="id_projects")
    assert "admin-autocomplete" in select.attrs["class"]
    assert [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs] == [str(run.pk)]
    assert [o.attrs["value"] for o in doc.find("select", id="id_partnerships").find_all("option")] == [
        str(chemnitz.pk)
    ]


# --- the role "Partnerschaften" -----------------------------------------------------------------


@pytest.fixture
def partnership_staff(client):
    user = get_user_model().objects.create_user("partner", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Partnerschaften"))
    client.force_login(user)
    return client


def test_role_is_created_by_a_migration_without_press_permissions():
    role = Group.objects.get(name="Partnerschaften")
    perms = {
        f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.select_related("content_type")
    }
    assert {
        "partnerships.change_partnership",
        "partnerships.add_project",
        "partnerships.delete_theme",
    } <= perms
    assert {"cityhall.view_image", "cityhall.add_image", "cityhall.change_image"} <= perms
    assert "cityhall.delete_image" not in perms
    assert not [perm for perm in perms if perm.startswith("press.")]


def test_partnership_role_cannot_reach_press_admin(partnership_staff):
    release = make_release()
    for url in [
        reverse("admin:press_pressrelease_changelist"),
        reverse("admin:press_pressrelease_add"),
        reverse("admin:press_pressrelease_change", args=[release.pk]),
        reverse("admin:press_pressrelease_delete", args=[release.pk]),
    ]:
        # (deleting a published release first leads to its change page: forbidden all the same)
        assert partnership_staff.get(url, follow=True).status_code == 403, url
    response = partnership_staff.post(reverse("admin:press_pressrelease_add"), {"title": "Heimlich"})
    assert response.status_code == 403
    assert not PressRelease.objects.filter(title="Heimlich").exists()
    index = partnership_staff.get(reverse("admin:index")).content.decode()
    assert reverse("admin:press_pressrelease_changelist") not in index


def test_partnership_role_manages_partnerships_projects_and_pictures(partnership_staff):
    chemnitz = make_partnership(partner_city="Chemnitz")
    project = make_project(chemnitz)
    theme = Theme.objects.create(name="Sport")
    image = make_image()
    for url in [
        reverse("admin:partnerships_partnership_changelist"),
        reverse("admin:partnerships_partnership_add"),
        reverse("admin:partnerships_partnership_change", args=[chemnitz.pk]),
        reverse("admin:partnerships_partnership_anniversaries"),
        reverse("admin:partnerships_project_changelist"),
        reverse("admin:partnerships_project_change", args=[project.pk]),
        reverse("admin:partnerships_theme_change", args=[theme.pk]),
        reverse("admin:cityhall_image_changelist"),
        reverse("admin:cityhall_image_add"),
        reverse("admin:cityhall_image_change", args=[image.pk]),
    ]:
        assert partnership_staff.get(url).status_code == 200, url

    data, _ = partnership_data(partnership_staff.get(reverse("admin:partnerships_partnership_add")))
    response = partnership_staff.post(reverse("admin:partnerships_partnership_add"), data)
    assert response.status_code == 302
    assert Partnership.objects.filter(partner_city="Reading").exists()
