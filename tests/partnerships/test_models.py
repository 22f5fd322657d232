"""Partnerships and projects: rules held by the database and the models, dates to a year, month or day,
and the anniversaries computed from the founding year."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships import dates
from partnerships.dates import PartialDateError, Precision
from partnerships.models import Anniversary, Partnership, Project, add_months
from partnerships.templatetags.partnership_tags import country_name
from tests.factories import make_partnership, make_project

# --- the database refuses what makes no sense -------------------------------------------------


@pytest.mark.django_db
def test_database_refuses_a_project_ending_before_it_starts():
    chemnitz = make_partnership(partner_city="Chemnitz")
    with pytest.raises(IntegrityError), transaction.atomic():
        # update() bypasses the model, so only the database constraint can stop it.
        Project.objects.filter(pk=make_project(chemnitz, year=2020).pk).update(end=date(2019, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.bulk_create(
            [Project(partnership=chemnitz, title="Falsch", start=date(2021, 1, 1), end=date(2020, 12, 31))]
        )


@pytest.mark.django_db
def test_database_refuses_an_end_without_a_start():
    chemnitz = make_partnership()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.bulk_create([Project(partnership=chemnitz, title="Nur Ende", end=date(2020, 12, 31))])


@pytest.mark.django_db
def test_database_accepts_a_project_within_one_day_or_without_dates():
    chemnitz = make_partnership()
    Project.objects.bulk_create(
        [
            Project(partnership=chemnitz, title="Ein Tag", start=date(2020, 10, 3), end=date(2020, 10, 3)),
            Project(partnership=chemnitz, title="Ohne Datum"),
        ]
    )
    assert chemnitz.projects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [
        {"status": "dormant"},  # since when?
        {"status": "ended"},
        {"status": "vergessen", "status_changed_on": date(2020, 1, 1)},
        {"kind": "liebschaft"},
        {"latitude": "91.00000", "longitude": "0"},
        {"latitude": "50.00000"},  # without longitude
        {"longitude": "181.00000", "latitude": "0"},
        {"first_contact_year": 1990, "since": 1988},
    ],
)
def test_database_refuses_inconsistent_partnerships(values):
    partnership = make_partnership(partner_city="Moskau", country="RU")
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(**values)


@pytest.mark.django_db
def test_model_validation_names_the_field():
    partnership = Partnership(
        partner_city="Moskau",
        native_name="Москва",
        country="RU",
        status=Partnership.Status.DORMANT,
        since=1993,
        founded_on=date(1992, 6, 1),
        first_contact_year=1995,
        latitude="55.75",
    )
    with pytest.raises(ValidationError) as caught:
        partnership.full_clean()
    errors = caught.value.message_dict
    assert set(errors) == {"status_changed_on", "since", "first_contact_year", "longitude", "native_language"}
    assert errors["status_changed_on"] == [
        "Bei einer ruhenden oder beendeten Partnerschaft bitte angeben, seit wann."
    ]


@pytest.mark.django_db
def test_project_validation_puts_the_error_on_the_end():
    project = Project(
        partnership=make_partnership(), title="Rückwärts", start=date(2021, 1, 1), end=date(2020, 12, 31)
    )
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    assert caught.value.message_dict == {"end": ["Das Ende darf nicht vor dem Beginn liegen."]}


@pytest.mark.django_db
def test_partnership_slug_avoids_the_pages_of_the_section():
    themen = make_partnership(partner_city="Themen")
    assert themen.slug != "themen"
    assert themen.slug.startswith("themen-")
    assert make_partnership(partner_city="Warschau").slug == "warschau"


@pytest.mark.django_db
def test_project_dates_are_stored_as_whole_periods():
    project = make_project(
        make_partnership(),
        start=date(2020, 10, 17),
        start_precision=Precision.MONTH,
        end=date(2021, 3, 3),
        end_precision=Precision.YEAR,
    )
    project.refresh_from_db()
    assert (project.start, project.end) == (date(2020, 10, 1), date(2021, 12, 31))
    assert project.period == "Oktober 2020 – 2021"
    assert (project.year, project.end_year) == (2020, 2021)
    assert str(project) == f"{project.title} (Oktober 2020 – 2021)"


# --- dates to a year, a month or a day ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2020", False, (date(2020, 1, 1), Precision.YEAR)),
        ("2020", True, (date(2020, 12, 31), Precision.YEAR)),
        ("2020-10", False, (date(2020, 10, 1), Precision.MONTH)),
        ("10.2020", True, (date(2020, 10, 31), Precision.MONTH)),
        ("2/2024", True, (date(2024, 2, 29), Precision.MONTH)),
        ("Oktober 2020", False, (date(2020, 10, 1), Precision.MONTH)),
        ("märz 2021", False, (date(2021, 3, 1), Precision.MONTH)),
        ("30.10.2020", False, (date(2020, 10, 30), Precision.DAY)),
        (" 2020-10-30 ", True, (date(2020, 10, 30), Precision.DAY)),
    ],
)
def test_partial_dates_are_read_in_german_and_iso_forms(text, end, expected):
    assert dates.parse(text, end=end) == expected


@pytest.mark.parametrize("text", ["", "20", "13.2020", "31.02.2021", "Brumaire 2020", "2020-1", "0000"])
def test_nonsense_is_no_partial_date(text):
    with pytest.raises(PartialDateError):
        dates.parse(text)


@pytest.mark.parametrize(
    ("start", "start_precision", "end", "end_precision", "printed"),
    [
        (date(2020, 1, 1), "year", None, "year", "2020"),
        (date(2025, 1, 1), "year", date(2025, 12, 31), "year", "2025"),
        (date(2019, 1, 1), "year", date(2020, 12, 31), "year", "2019–2020"),
        (date(2020, 3, 1), "month", date(2020, 10, 31), "month", "März–Oktober 2020"),
        (date(2019, 3, 1), "month", date(2020, 10, 31), "month", "März 2019 – Oktober 2020"),
        (date(2018, 6, 29), "day", date(2018, 7, 1), "day", "29. Juni 2018 – 1. Juli 2018"),
        (None, "year", None, "year", ""),
    ],
)
def test_periods_are_printed_as_people_write_them(start, start_precision, end, end_precision, printed):
    assert dates.german_range(start, start_precision, end, end_precision) == printed


# --- anniversaries are computed, not typed -----------------------------------------------------


def test_a_1988_partnership_is_35_in_2023():
    partnership = Partnership(partner_city="Chemnitz", since=1988)
    assert partnership.age_in(2023) == 35
    assert partnership.age_in(1988) is None
    founded = Partnership(partner_city="Chongqing", founded_on=date(2004, 7, 22))
    assert founded.age_in(2024) == 20


@pytest.mark.django_db
def test_anniversaries_of_the_next_24_months(settings):
    make_partnership(partner_city="Chemnitz", since=1988)  # 40 in 2028
    make_partnership(
        partner_city="Reading", since=1988, first_contact_year=1947
    )  # 80 years of contact in 2027
    make_partnership(partner_city="Chongqing", since=None, founded_on=date(2004, 7, 22))  # 25 on 22 July 2029
    make_partnership(partner_city="Palermo", since=2016)  # 11, 12, 13: nothing round
    make_partnership(
        partner_city="Moskau",
        since=1992,
        status=Partnership.Status.DORMANT,
        status_changed_on=date(2022, 2, 25),
    )  # 35 in 2027, listed with its status
    make_partnership(
        partner_city="Alt", since=1977, status=Partnership.Status.ENDED, status_changed_on=date(2000, 1, 1)
    )  # 50 in 2027, but ended

    found = Partnership.objects.anniversaries(today=date(2027, 8, 1), months=24)

    assert [(a.partnership.partner_city, a.kind, a.years, a.starts, a.day) for a in found] == [
        ("Moskau", Anniversary.FOUNDING, 35, date(2027, 1, 1), None),
        ("Reading", Anniversary.FIRST_CONTACT, 80, date(2027, 1, 1), None),
        ("Chemnitz", Anniversary.FOUNDING, 40, date(2028, 1, 1), None),
        ("Reading", Anniversary.FOUNDING, 40, date(2028, 1, 1), None),
        ("Chongqing", Anniversary.FOUNDING, 25, date(2029, 7, 22), date(2029, 7, 22)),
    ]
    assert str(found[0].label) == "35 Jahre Städtepartnerschaft"
    assert str(found[1].label) == "80 Jahre erster Kontakt"


@pytest.mark.django_db
def test_an_anniversary_to_the_day_counts_only_inside_the_window():
    make_partnership(partner_city="Chongqing", since=None, founded_on=date(2004, 7, 22))
    assert Partnership.objects.anniversaries(today=date(2027, 7, 23), months=23) == []
    assert [a.day for a in Partnership.objects.anniversaries(today=date(2027, 7, 22), months=24)] == [
        date(2029, 7, 22)
    ]


def test_a_29_february_founding_is_remembered_on_28_february():
    partnership = Partnership(partner_city="Schaltjahr", founded_on=date(2004, 2, 29))
    found = partnership.anniversaries_between(date(2029, 1, 1), date(2029, 12, 31))
    assert [(a.years, a.day) for a in found] == [(25, date(2029, 2, 28))]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 11, 15), 24, date(2027, 11, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_status_text_says_since_when():
    assert Partnership(status="active").status_text == "aktiv"
    assert Partnership(status="dormant", status_changed_on=date(2022, 2, 25)).status_text == (
        "ruht seit 25. Februar 2022"
    )
    assert (
        Partnership(status="ended", status_changed_on=date(2001, 5, 1)).status_text
        == "beendet am 1. Mai 2001"
    )


def test_country_names_are_german():
    assert [country_name(code) for code in ("PL", "gb", "IL", "RU", "UA", "CN", "JP")] == [
        "Polen",
        "Vereinigtes Königreich",
        "Israel",
        "Russland",
        "Ukraine",
        "China",
        "Japan",
    ]
    assert country_name("XX") == "XX"
