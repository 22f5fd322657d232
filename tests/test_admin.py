"""The press office's admin: every page renders, the release form saves its blocks, lists
filter and stay cheap, and things still in use cannot be deleted."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from cityhall.library.models import (
    AccessibilityFeedback,
    Contact,
    EasyLanguagePage,
    Image,
    LegalPage,
    License,
    Office,
    Person,
)
from cityhall.library.redirects import Redirect
from partnerships.models import Partnership, Project, Theme
from press.models import (
    Appointment,
    AuditEntry,
    BackgroundBlock,
    FeaturedRelease,
    ImageBlock,
    PressRelease,
    QuoteBlock,
    TextBlock,
)
from tests.factories import (
    add_background,
    add_image,
    add_quote,
    add_text,
    make_contact,
    make_image,
    make_partnership,
    make_person,
    make_project,
    make_release,
)

OUR_MODELS = {Person, Contact, License, Image, Partnership, Theme, Project, PressRelease}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model_or_obj, page, *args):
    opts = model_or_obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


def make_keller():
    person = make_person(honorific="Dr.", name="Stephan Keller")
    Office.objects.create(
        person=person,
        role="Stadtdirektor",
        organisation="Stadt Köln",
        start=date(2015, 1, 1),
        end=date(2020, 10, 31),
    )
    Office.objects.create(
        person=person,
        role="Oberbürgermeister",
        organisation="Landeshauptstadt Düsseldorf",
        start=date(2020, 11, 1),
    )
    return person


def make_full_release(**kwargs):
    """A release that uses every relation the admin shows."""
    image = make_image(title="Rathaus")
    kwargs.setdefault("title", "Partnerschaftsjubiläum mit Haifa")
    release = make_release(
        image=image,
        contact=make_contact(name="Pressestelle"),
        partnerships=[make_partnership(partner_city="Haifa", country="IL")],
        tags=["Kultur", "Internationales"],
        **kwargs,
    )
    add_text(release, "<p>Erster Absatz.</p>")
    add_quote(
        release, make_person(name="Anna Schmidt", office={"role": "Beigeordnete", "organisation": "Stadt"})
    )
    add_image(release, make_image(title="Empfang"))
    add_background(release)
    return release


def make_object(model, admin_user):
    """One saved object of every model registered in the admin."""
    if model is PressRelease:
        # A draft: a published release is withdrawn rather than deleted, so it has no delete page.
        return make_full_release(status=PressRelease.Status.DRAFT)
    if model is Person:
        return make_keller()
    if model is Contact:
        return make_contact(name="Pressestelle", role="Pressesprecherin")
    if model is License:
        return License.objects.get(name="CC BY 4.0")  # from the managed list (migration)
    if model is Image:
        return make_image(title="Rathaus", license=License.objects.get(name="Alle Rechte vorbehalten"))
    if model is Partnership:
        partnership = make_partnership(partner_city="Reading", country="GB")
        make_project(partnership, title="Jugendaustausch")
        return partnership
    if model is Theme:
        return Theme.objects.create(name="Jugend")
    if model is Project:
        project = make_project(make_partnership(partner_city="Haifa", country="IL"), title="Jugendaustausch")
        project.themes.add(Theme.objects.create(name="Jugend"))
        return project
    if model is Tag:
        make_release(tags=["Kultur"])
        return Tag.objects.get(name="Kultur")
    if model is Group:
        return Group.objects.get(name="Redaktion")  # made by a migration
    if model is AuditEntry:
        return AuditEntry.objects.create(
            release=make_full_release(), release_title="Partnerschaftsjubiläum mit Haifa", action="submitted"
        )
    if model is AccessibilityFeedback:
        return AccessibilityFeedback.objects.create(message="Der Kontrast im Kopf ist zu schwach.")
    if model is EasyLanguagePage:
        return EasyLanguagePage.objects.create(
            title="Was macht die Presse-Stelle?", body="<p>Sie schreibt.</p>"
        )
    if model is LegalPage:
        return LegalPage.objects.create(kind="impressum", title="Impressum", body="<p>Stadt</p>")
    if model is FeaturedRelease:
        return FeaturedRelease.objects.create(
            release=make_release(), until=timezone.now() + timedelta(days=1)
        )
    if model is Appointment:
        appointment = Appointment.objects.create(
            title="Fototermin im Nordpark",
            starts_at=timezone.now(),
            place="Nordpark",
            description="Fotos.",
            contact=make_contact(),
            release=make_release(),
        )
        appointment.attendees.add(make_keller())
        return appointment
    if model is Redirect:
        return Redirect.objects.create(old_path="/presse/alt.php?id=1", new_path="/pressemitteilungen/")
    if model is admin_user.__class__:
        return admin_user
    if model._meta.label in ("press.Comment", "press.CorrectionSuggestion"):
        return model.objects.create(release=make_full_release(), text="Im Vorspann fehlt ein Komma.")
    if model._meta.label == "press.NotificationPreference":
        return model.objects.create(user=admin_user, muted=["submitted"])
    if model._meta.label == "django_tasks_database.DBTaskResult":
        from press.tasks import send_release_mail

        return model.objects.get(id=send_release_mail.enqueue("submitted", 0, []).id)
    if model._meta.app_label == "axes":  # login attempts (django-axes)
        fields = {"username": "redakteur", "ip_address": "198.51.100.7", "user_agent": "Firefox"}
        if model._meta.label == "axes.AccessAttempt":
            fields |= {"failures_since_start": 5, "get_data": "", "post_data": "username=redakteur"}
        return model.objects.create(**fields)
    if model._meta.app_label in ("otp_totp", "otp_static"):  # second factors (django-otp)
        return model.objects.create(user=admin_user, name="Telefon", confirmed=True)
    if model._meta.app_label == "distribution":
        return make_distribution_object(model)
    pytest.fail(f"No test object for {model._meta.label}: add one to make_object().")


def make_distribution_object(model):
    from distribution.models import Mailing, Subscriber
    from tests.distribution.helpers import all_list, subscriber

    person = subscriber("leserin@example.org")
    if model is Subscriber:
        return person
    if model is Mailing:
        mailing = Mailing.objects.create(kind=Mailing.Kind.RELEASE, release=make_release(), state="done")
        mailing.deliveries.create(
            subscriber=person, email=person.email, state="failed", error="550 No such user"
        )
        return mailing
    if model._meta.model_name == "mailinglist":
        return all_list()
    return person.consents.get()


def form_errors(response):
    """Form and inline errors of an admin change form response, for assertion messages."""
    if response.context is None or "adminform" not in response.context:
        return f"status {response.status_code}"
    errors = {"form": response.context["adminform"].form.errors}
    for iaf in response.context["inline_admin_formsets"]:
        errors[iaf.formset.prefix] = [e for e in iaf.formset.errors if e] + iaf.formset.non_form_errors()
    return errors


def changelist_pks(response):
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


# --- every page of every registered model ------------------------------------------------


@pytest.mark.django_db
def test_admin_index_names_the_press_office(admin_client, settings):
    response = admin_client.get(reverse("admin:index"))
    html = response.content.decode()
    assert f"{settings.PRESS_OFFICE_NAME} · {settings.CITY_NAME}" in html
    assert "Redaktion" in html
    assert "Pressemitteilungen" in html


def test_our_models_are_registered():
    assert set(admin.site._registry) >= OUR_MODELS
    assert Tag in admin.site._registry


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=[model._meta.label for model in REGISTERED])
def test_every_admin_page_renders(admin_client, admin_user, model):
    obj = make_object(model, admin_user)
    model_admin = admin.site._registry[model]

    # The audit log is written by the workflow only, task results by the task queue.
    read_only = model is AuditEntry or model._meta.label == "django_tasks_database.DBTaskResult"
    # Login attempts are written by django-axes; deleting one lifts a lock. Mailings are made by
    # publishing, consent proofs by signing up: nobody adds one by hand.
    made_elsewhere = model._meta.label in ("distribution.Mailing", "distribution.Consent")
    no_add = read_only or model._meta.app_label == "axes" or made_elsewhere
    for url, status in (
        (admin_url(model, "changelist"), 200),
        (admin_url(model, "add"), 403 if no_add else 200),
        (admin_url(obj, "change", obj.pk), 200),
        # Every footer links the legal pages: they are changed, never deleted.
        (admin_url(obj, "delete", obj.pk), 403 if read_only or model is LegalPage else 200),
        (admin_url(obj, "history", obj.pk), 200),
    ):
        response = admin_client.get(url)
        assert response.status_code == status, url

    response = admin_client.get(admin_url(model, "changelist"))
    assert obj.pk in changelist_pks(response)
    response = admin_client.get(admin_url(obj, "change", obj.pk))
    assert escape(str(obj)) in response.content.decode()

    if model_admin.search_fields:
        response = admin_client.get(admin_url(model, "changelist"), {"q": str(obj)[:4]})
        assert response.status_code == 200


# --- press release change list -------------------------------------------------------------


@pytest.mark.django_db
class TestReleaseChangelist:
    url = reverse("admin:press_pressrelease_changelist")

    def test_state_filter(self, admin_client):
        draft = make_release(status=PressRelease.Status.DRAFT)
        published = make_release()
        scheduled = make_release(published_at=timezone.now() + timedelta(days=1))

        def shown(state):
            return changelist_pks(admin_client.get(self.url, {"stand": state}))

        assert shown("draft") == {draft.pk}
        assert shown("published") == {published.pk}
        assert shown("scheduled") == {scheduled.pk}
        html = admin_client.get(self.url).content.decode()
        for label in ("Entwurf", "In Prüfung", "Freigegeben", "Geplant", "Veröffentlicht", "Zurückgezogen"):
            assert label in html
        assert admin_client.get(self.url, {"stand": "bogus"}).status_code == 302  # Django's "?e=1"

    def test_year_filter(self, admin_client):
        r2022 = make_release(published_at=datetime(2022, 6, 1, 10, tzinfo=UTC))
        r2023 = make_release(published_at=datetime(2023, 3, 1, 10, tzinfo=UTC))
        # 31 December 23:30 UTC is already New Year in Düsseldorf.
        new_year = make_release(published_at=datetime(2023, 12, 31, 23, 30, tzinfo=UTC))

        assert changelist_pks(admin_client.get(self.url, {"jahr": "2022"})) == {r2022.pk}
        assert changelist_pks(admin_client.get(self.url, {"jahr": "2023"})) == {r2023.pk}
        response = admin_client.get(self.url, {"jahr": "2024"})
        assert changelist_pks(response) == {new_year.pk}

        year_filter = next(
            f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", None) == "jahr"
        )
        assert [value for value, _label in year_filter.lookup_choices] == ["2024", "2023", "2022"]

    def test_year_filter_rejects_garbage(self, admin_client):
        make_release()
        response = admin_client.get(self.url, {"jahr": "zweitausend"})
        assert response.status_code == 302
        assert response.url.endswith("?e=1")

    def test_tag_filter(self, admin_client):
        kultur = make_release(tags=["Kultur"])
        sport = make_release(tags=["Sport", "Jugend"])
        make_release()
        Tag.objects.create(name="Unbenutzt")

        assert changelist_pks(admin_client.get(self.url, {"schlagwort": "kultur"})) == {kultur.pk}
        response = admin_client.get(self.url, {"schlagwort": "jugend"})
        assert changelist_pks(response) == {sport.pk}

        tag_filter = next(
            f
            for f in response.context["cl"].filter_specs
            if getattr(f, "parameter_name", None) == "schlagwort"
        )
        assert [label for _value, label in tag_filter.lookup_choices] == ["Jugend", "Kultur", "Sport"]

    def test_partnership_filter(self, admin_client):
        haifa = make_partnership(partner_city="Haifa", country="IL")
        with_haifa = make_release(partnerships=[haifa])
        make_release(partnerships=[make_partnership(partner_city="Reading", country="GB")])

        response = admin_client.get(self.url, {"partnerships__id__exact": haifa.pk})
        assert changelist_pks(response) == {with_haifa.pk}

    @pytest.mark.parametrize(
        ("term", "field"),
        [
            ("Haifa", "title"),
            ("Internationales", "kicker"),
            ("Jubiläumsfeier", "lead"),
            ("Gäste", "subtitle"),
        ],
    )
    def test_search(self, admin_client, term, field):
        hit = make_release(
            title="Besuch aus Haifa",
            kicker="Internationales",
            subtitle="Gäste im Rathaus",
            lead="Zur Jubiläumsfeier kommt eine Delegation.",
        )
        make_release(title="Neue Radwege", kicker="Verkehr", lead="Mehr Platz.")

        assert changelist_pks(admin_client.get(self.url, {"q": term})) == {hit.pk}, field

    def test_search_by_slug(self, admin_client):
        hit = make_release(title="Straßenfest", slug="strassenfest-2024")
        make_release(title="Anderes")
        assert changelist_pks(admin_client.get(self.url, {"q": "strassenfest-2024"})) == {hit.pk}

    def test_columns(self, admin_client):
        make_release(title="Besuch aus Haifa", kicker="Internationales", tags=["Sport", "kultur"])
        html = admin_client.get(self.url).content.decode()
        assert "Besuch aus Haifa" in html
        assert "Internationales" in html
        assert "kultur, Sport" in html
        assert "Veröffentlicht" in html

    def test_query_count_does_not_grow_with_rows(self, admin_client, django_assert_max_num_queries):
        image = make_image()
        contact = make_contact()
        partnership = make_partnership()

        def populate(count):
            for i in range(count):
                make_release(
                    image=image,
                    contact=contact,
                    partnerships=[partnership],
                    tags=["Kultur", f"Thema {PressRelease.objects.count()}-{i}"],
                )

        populate(5)
        with CaptureQueriesContext(connection) as few:
            response = admin_client.get(self.url)
        assert len(response.context["cl"].result_list) == 5
        assert len(few) <= 15

        populate(20)
        with django_assert_max_num_queries(len(few)):
            response = admin_client.get(self.url)
        assert len(response.context["cl"].result_list) == 25


# --- press release form --------------------------------------------------------------------


def management_data(response):
    """Empty inline formsets (management forms) for every inline of the change form, and the
    version the form was opened with (the optimistic lock)."""
    data, prefixes = {"version": str(response.context["adminform"].form["version"].value())}, {}
    for iaf in response.context["inline_admin_formsets"]:
        prefix = iaf.formset.prefix
        prefixes[iaf.opts.model] = prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": str(iaf.formset.initial_form_count()),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data, prefixes


def add_block(data, prefix, **fields):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    fields.setdefault("region", "body")
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value


def release_data(**overrides):
    data = {
        "kicker": "Internationales",
        "title": "Delegation aus Haifa im Rathaus",
        "subtitle": "",
        "lead": "Oberbürgermeister empfängt Gäste.",
        "published_at_0": "2024-03-01",
        "published_at_1": "10:00:00",
        "slug": "",
        "image": "",
        "image_alt": "",
        "image_caption": "",
        "contact": "",
    }
    data.update(overrides)
    return data


def blocks_in_order(release):
    blocks = [
        *TextBlock.objects.filter(parent=release),
        *QuoteBlock.objects.filter(parent=release),
        *ImageBlock.objects.filter(parent=release),
        *BackgroundBlock.objects.filter(parent=release),
    ]
    return sorted(blocks, key=lambda block: block.ordering)


@pytest.mark.django_db
class TestReleaseForm:
    add_url = reverse("admin:press_pressrelease_add")

    def test_add_with_blocks_in_order(self, admin_client):
        keller = make_keller()
        picture = make_image(title="Empfang im Rathaus")
        lead_picture = make_image(title="Rathaus")
        contact = make_contact(name="Pressestelle")
        haifa = make_partnership(partner_city="Haifa", country="IL")
        kultur = Tag.objects.create(name="Kultur")

        response = admin_client.get(self.add_url)
        assert response.status_code == 200
        data, prefix = management_data(response)
        assert set(prefix) == {TextBlock, QuoteBlock, ImageBlock, BackgroundBlock}
        data.update(
            release_data(
                image=str(lead_picture.pk),
                contact=str(contact.pk),
                partnerships=[str(haifa.pk)],
                tags=[str(kultur.pk), "neu:Städtepartnerschaft", "neu:Israel"],
            )
        )
        add_block(
            data, prefix[QuoteBlock], ordering="10", text="Willkommen in Düsseldorf.", speaker=str(keller.pk)
        )
        add_block(data, prefix[TextBlock], ordering="20", html="<p>Die Delegation besucht das Rathaus.</p>")
        add_block(data, prefix[ImageBlock], ordering="30", image=str(picture.pk), alt_text="", caption="")
        add_block(data, prefix[TextBlock], ordering="40", html="<p>Am Abend folgt ein Empfang.</p>")
        add_block(data, prefix[BackgroundBlock], ordering="50", title="Hintergrund", html="<p>Seit 1988.</p>")

        response = admin_client.post(self.add_url, data)

        assert response.status_code == 302, form_errors(response)
        release = PressRelease.objects.get()
        assert release.title == "Delegation aus Haifa im Rathaus"
        assert release.slug == "delegation-aus-haifa-im-rathaus"
        assert release.image == lead_picture
        assert release.contact == contact
        assert list(release.partnerships.all()) == [haifa]
        assert sorted(release.tags.names()) == ["Israel", "Kultur", "Städtepartnerschaft"]

        blocks = blocks_in_order(release)
        assert [type(block) for block in blocks] == [
            QuoteBlock,
            TextBlock,
            ImageBlock,
            TextBlock,
            BackgroundBlock,
        ]
        assert {block.region for block in blocks} == {"body"}
        quote, first_text, image_block, second_text, background = blocks
        assert quote.speaker == keller
        assert (quote.role, quote.organisation) == ("Oberbürgermeister", "Landeshauptstadt Düsseldorf")
        assert first_text.html == "<p>Die Delegation besucht das Rathaus.</p>"
        assert image_block.image == picture
        assert second_text.html == "<p>Am Abend folgt ein Empfang.</p>"
        assert background.title == "Hintergrund"

    def test_quote_role_from_the_office_held_on_the_release_date(self, admin_client):
        keller = make_keller()
        data, prefix = management_data(admin_client.get(self.add_url))
        data.update(release_data(published_at_0="2019-05-01"))
        add_block(data, prefix[QuoteBlock], ordering="10", text="Ein Zitat.", speaker=str(keller.pk))

        response = admin_client.post(self.add_url, data)

        assert response.status_code == 302, form_errors(response)
        quote = QuoteBlock.objects.get()
        assert (quote.role, quote.organisation) == ("Stadtdirektor", "Stadt Köln")

    def test_quote_role_typed_in_is_kept(self, admin_client):
        keller = make_keller()
        data, prefix = management_data(admin_client.get(self.add_url))
        data.update(release_data())
        add_block(
            data,
            prefix[QuoteBlock],
            ordering="10",
            text="Ein Zitat.",
            speaker=str(keller.pk),
            role="Gastgeber",
        )

        response = admin_client.post(self.add_url, data)

        assert response.status_code == 302, form_errors(response)
        quote = QuoteBlock.objects.get()
        assert (quote.role, quote.organisation) == ("Gastgeber", "Landeshauptstadt Düsseldorf")

    def test_rich_text_is_sanitized_on_save(self, admin_client):
        data, prefix = management_data(admin_client.get(self.add_url))
        data.update(release_data())
        dirty = (
            '<p onclick="steal()">Hallo <script>alert(1)</script>'
            '<a href="javascript:alert(2)">böser Link</a> '
            '<a href="https://www.duesseldorf.de/" onmouseover="x()">Stadt</a></p>'
            '<img src="x" onerror="alert(3)"><style>p{}</style>'
        )
        add_block(data, prefix[TextBlock], ordering="10", html=dirty)
        add_block(data, prefix[BackgroundBlock], ordering="20", title="Hintergrund", html=dirty)

        response = admin_client.post(self.add_url, data)

        assert response.status_code == 302, form_errors(response)
        for html in (TextBlock.objects.get().html, BackgroundBlock.objects.get().html):
            for bad in (
                "<script",
                "alert",
                "onclick",
                "onmouseover",
                "onerror",
                "javascript:",
                "<img",
                "<style",
            ):
                assert bad not in html
            assert "Hallo" in html
            assert '<a href="https://www.duesseldorf.de/">Stadt</a>' in html

    def test_change_reorders_and_deletes_blocks(self, admin_client):
        release = make_release(title="Umbau")
        first = add_text(release, "<p>Eins</p>", ordering=10)
        second = add_background(release, title="Zwei", ordering=20)
        third = add_text(release, "<p>Drei</p>", ordering=30)
        url = admin_url(release, "change", release.pk)

        response = admin_client.get(url)
        assert response.status_code == 200
        data, prefix = management_data(response)
        data.update(release_data(title="Umbau", status="draft"))
        text = prefix[TextBlock]
        data[f"{text}-TOTAL_FORMS"] = "2"
        data.update(
            {
                f"{text}-0-id": str(first.pk),
                f"{text}-0-region": "body",
                f"{text}-0-ordering": "30",
                f"{text}-0-html": "<p>Eins</p>",
                f"{text}-1-id": str(third.pk),
                f"{text}-1-region": "body",
                f"{text}-1-ordering": "10",
                f"{text}-1-html": "<p>Drei</p>",
                f"{text}-1-DELETE": "on",
            }
        )
        background = prefix[BackgroundBlock]
        data[f"{background}-TOTAL_FORMS"] = "1"
        data.update(
            {
                f"{background}-0-id": str(second.pk),
                f"{background}-0-region": "body",
                f"{background}-0-ordering": "5",
                f"{background}-0-title": "Zwei",
                f"{background}-0-html": "<p>Hintergrund</p>",
            }
        )

        response = admin_client.post(url, data)

        assert response.status_code == 302, form_errors(response)
        assert [block.pk for block in blocks_in_order(release)] == [second.pk, first.pk]
        assert not TextBlock.objects.filter(pk=third.pk).exists()
        release.refresh_from_db()
        assert release.status == "published"  # the status is no form field: the workflow moves it

    def test_tags_existing_by_autocomplete_and_new_ones_typed(self, admin_client):
        kultur = Tag.objects.create(name="Kultur")
        Tag.objects.create(name="Jugend")
        data, _prefix = management_data(admin_client.get(self.add_url))
        # One field: existing tags by number, typed ones as "neu:<name>" (a typed "jugend" is the tag Jugend).
        data.update(release_data(tags=[str(kultur.pk), "neu:kultur", "neu:jugend", "neu:Sport"]))

        response = admin_client.post(self.add_url, data)

        assert response.status_code == 302, form_errors(response)
        assert sorted(PressRelease.objects.get().tags.names()) == ["Jugend", "Kultur", "Sport"]
        assert Tag.objects.count() == 3  # case-insensitive: no second "kultur" or "jugend"

    def test_overlong_new_tag_is_a_field_error(self, admin_client):
        data, _prefix = management_data(admin_client.get(self.add_url))
        data.update(release_data(tags=["neu:Sport", "neu:" + "x" * 101]))

        response = admin_client.post(self.add_url, data)

        assert response.status_code == 200
        assert "tags" in response.context["adminform"].form.errors
        assert not PressRelease.objects.exists()
        assert not Tag.objects.exists()

    def test_tags_are_removed_when_deselected(self, admin_client):
        release = make_release(title="Mit Schlagwörtern", tags=["Kultur", "Sport"])
        sport = Tag.objects.get(name="Sport")
        url = admin_url(release, "change", release.pk)
        data, _prefix = management_data(admin_client.get(url))
        data.update(release_data(title="Mit Schlagwörtern", tags=[str(sport.pk)]))

        response = admin_client.post(url, data)

        assert response.status_code == 302, form_errors(response)
        assert list(release.tags.names()) == ["Sport"]

    def test_change_form_shows_selected_tags_and_blocks(self, admin_client):
        release = make_full_release()
        kultur = Tag.objects.get(name="Kultur")

        response = admin_client.get(admin_url(release, "change", release.pk))

        html = response.content.decode()
        assert f'<option value="{kultur.pk}" selected>Kultur</option>' in html
        assert 'data-field-name="tags"' in html
        for legend in ("Kopf", "Veröffentlichung", "Bild", "Zuordnung"):
            assert f">{legend}</h2>" in html or f">{legend}</legend>" in html, legend
        assert "content-editor-context" in html
        script = re.search(r'<script[^>]*id="content-editor-context"[^>]*>(.*?)</script>', html, re.S)
        context = json.loads(script.group(1))
        assert [plugin["title"] for plugin in context["plugins"]] == ["Text", "Zitat", "Bild", "Hintergrund"]
        assert [region["key"] for region in context["regions"]] == ["body"]
        formsets = {iaf.opts.model: iaf.formset for iaf in response.context["inline_admin_formsets"]}
        assert all(
            len(formsets[model].forms) == 1 for model in (TextBlock, QuoteBlock, ImageBlock, BackgroundBlock)
        )

    def test_missing_title_is_refused(self, admin_client):
        data, _prefix = management_data(admin_client.get(self.add_url))
        data.update(release_data(title=""))

        response = admin_client.post(self.add_url, data)

        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "title" in errors
        assert "__all__" not in errors  # no technical constraint message about the slug
        assert not PressRelease.objects.exists()

    def test_slug_made_from_title_when_left_empty_and_kept_when_given(self, admin_client):
        make_release(title="Straßenfest am Rhein")
        data, _prefix = management_data(admin_client.get(self.add_url))

        response = admin_client.post(self.add_url, {**data, **release_data(title="Straßenfest am Rhein")})
        assert response.status_code == 302, form_errors(response)
        response = admin_client.post(self.add_url, {**data, **release_data(title="Fest", slug="mein-fest")})
        assert response.status_code == 302, form_errors(response)

        assert set(PressRelease.objects.values_list("slug", flat=True)) == {
            "strassenfest-am-rhein",
            "strassenfest-am-rhein-2",
            "mein-fest",
        }

    def test_duplicate_slug_is_refused(self, admin_client):
        make_release(slug="mein-fest")
        data, _prefix = management_data(admin_client.get(self.add_url))

        response = admin_client.post(self.add_url, {**data, **release_data(title="Fest", slug="mein-fest")})

        assert response.status_code == 200
        assert "slug" in response.context["adminform"].form.errors

    def test_view_on_site(self, admin_client):
        release = make_release(title="Öffentlich")
        content_type = ContentType.objects.get_for_model(PressRelease)
        view_on_site = reverse("admin:view_on_site", args=[content_type.pk, release.pk])

        response = admin_client.get(admin_url(release, "change", release.pk))
        assert view_on_site in response.content.decode()

        response = admin_client.get(view_on_site)
        assert response.status_code == 302
        assert response.url.endswith(release.get_absolute_url())


# --- autocomplete --------------------------------------------------------------------------


@pytest.mark.django_db
class TestAutocomplete:
    url = reverse("admin:autocomplete")

    def results(self, client, **params):
        response = client.get(self.url, params)
        assert response.status_code == 200
        return response.json()["results"]

    def test_speaker(self, admin_client):
        keller = make_keller()
        make_person(name="Anna Schmidt")

        results = self.results(
            admin_client, app_label="press", model_name="quoteblock", field_name="speaker", term="Kel"
        )

        assert results == [{"id": str(keller.pk), "text": "Dr. Stephan Keller"}]

    def test_block_image(self, admin_client):
        wanted = make_image(title="Rheinufer")
        make_image(title="Rathaus")

        results = self.results(
            admin_client, app_label="press", model_name="imageblock", field_name="image", term="Rhein"
        )

        assert [r["id"] for r in results] == [str(wanted.pk)]

    def test_tags(self, admin_client):
        kultur = Tag.objects.create(name="Kultur")
        Tag.objects.create(name="Sport")

        results = self.results(
            admin_client, app_label="press", model_name="pressrelease", field_name="tags", term="Kul"
        )

        assert results == [{"id": str(kultur.pk), "text": "Kultur"}]

    @pytest.mark.parametrize(
        ("field_name", "term", "factory"),
        [
            ("contact", "Presse", lambda: make_contact(name="Pressestelle")),
            ("partnerships", "Hai", lambda: make_partnership(partner_city="Haifa")),
            ("image", "Rat", lambda: make_image(title="Rathaus")),
        ],
    )
    def test_release_fields(self, admin_client, field_name, term, factory):
        obj = factory()
        results = self.results(
            admin_client, app_label="press", model_name="pressrelease", field_name=field_name, term=term
        )
        assert [r["id"] for r in results] == [str(obj.pk)]

    def test_needs_staff(self, client):
        make_keller()
        response = client.get(
            self.url,
            {"app_label": "press", "model_name": "quoteblock", "field_name": "speaker", "term": "Kel"},
        )
        assert response.status_code == 302  # to the login page


# --- things in use cannot be deleted -------------------------------------------------------


@pytest.mark.django_db
class TestInUseProtection:
    def test_image_in_a_block_is_not_deleted(self, admin_client):
        image = make_image(title="Empfang")
        release = make_release(title="Besuch aus Haifa")
        add_image(release, image)
        url = admin_url(image, "delete", image.pk)

        response = admin_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="post"' not in html  # no confirmation button
        link = f'<a href="{admin_url(release, "change", release.pk)}">Besuch aus Haifa</a>'
        assert f"Bild in Pressemitteilung: {link}" in html

        response = admin_client.post(url, {"post": "yes"})
        assert response.status_code == 200
        assert Image.objects.filter(pk=image.pk).exists()
        assert "Bilder, die noch verwendet werden, können nicht gelöscht werden" in response.content.decode()
        assert "„Besuch aus Haifa“" in response.content.decode()

    def test_lead_image_is_not_deleted(self, admin_client):
        image = make_image(title="Rathaus")
        release = make_release(title="Neue Radwege", image=image)

        response = admin_client.post(admin_url(image, "delete", image.pk), {"post": "yes"})

        assert response.status_code == 200
        html = response.content.decode()
        link = f'<a href="{admin_url(release, "change", release.pk)}">Neue Radwege</a>'
        assert f"Aufmacherbild in Pressemitteilung: {link}" in html
        assert Image.objects.filter(pk=image.pk).exists()

    def test_bulk_delete_of_images_in_use_is_refused(self, admin_client):
        used = make_image(title="Empfang")
        unused = make_image(title="Archiv")
        add_image(make_release(title="Besuch aus Haifa"), used)

        response = admin_client.post(
            reverse("admin:cityhall_image_changelist"),
            {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"},
        )

        assert response.status_code == 200
        assert "Besuch aus Haifa" in response.content.decode()
        assert Image.objects.count() == 2

    def test_unused_image_is_deleted(self, admin_client):
        image = make_image()

        response = admin_client.post(admin_url(image, "delete", image.pk), {"post": "yes"})

        assert response.status_code == 302
        assert not Image.objects.filter(pk=image.pk).exists()

    def test_quoted_person_is_not_deleted(self, admin_client):
        keller = make_keller()
        add_quote(make_release(title="Delegation aus Haifa"), keller)
        add_quote(make_release(title="Haushalt 2025"), keller)
        url = admin_url(keller, "delete", keller.pk)

        response = admin_client.post(url, {"post": "yes"})

        assert response.status_code == 200
        html = response.content.decode()
        assert "Personen, die noch zitiert werden, können nicht gelöscht werden" in html
        assert "„Delegation aus Haifa“, „Haushalt 2025“" in html
        assert Person.objects.filter(pk=keller.pk).exists()
        assert Office.objects.filter(person=keller).count() == 2

    def test_bulk_delete_of_quoted_person_is_refused(self, admin_client):
        keller = make_keller()
        add_quote(make_release(title="Delegation aus Haifa"), keller)

        response = admin_client.post(
            reverse("admin:cityhall_person_changelist"),
            {"action": "delete_selected", "_selected_action": [keller.pk], "post": "yes"},
        )

        assert response.status_code == 200
        assert "Delegation aus Haifa" in response.content.decode()
        assert Person.objects.filter(pk=keller.pk).exists()

    def test_contact_named_in_a_release_is_not_deleted(self, admin_client):
        contact = make_contact(name="Pressestelle")
        make_release(title="Neue Radwege", contact=contact)

        response = admin_client.post(admin_url(contact, "delete", contact.pk), {"post": "yes"})

        assert response.status_code == 200
        assert "Genannt in: „Neue Radwege“" in response.content.decode()
        assert Contact.objects.filter(pk=contact.pk).exists()

    def test_licence_of_an_image_is_not_deleted(self, admin_client):
        licence = License.objects.get(name="CC BY 4.0")
        image = make_image(title="Rheinufer", license=licence)

        response = admin_client.post(admin_url(licence, "delete", licence.pk), {"post": "yes"})

        assert response.status_code == 200
        html = response.content.decode()
        assert f'Lizenz in Bild: <a href="{admin_url(image, "change", image.pk)}">Rheinufer</a>' in html
        assert License.objects.filter(pk=licence.pk).exists()

    def test_deleting_a_release_keeps_what_it_used(self, admin_client):
        release = make_full_release(status=PressRelease.Status.DRAFT)
        image, speaker = release.image, QuoteBlock.objects.get().speaker

        response = admin_client.post(admin_url(release, "delete", release.pk), {"post": "yes"})

        assert response.status_code == 302
        assert not PressRelease.objects.exists()
        assert not QuoteBlock.objects.exists()
        assert not TextBlock.objects.exists()
        assert Image.objects.filter(pk=image.pk).exists()
        assert Person.objects.filter(pk=speaker.pk).exists()

    def test_person_never_quoted_is_deleted_with_offices(self, admin_client):
        keller = make_keller()

        response = admin_client.post(admin_url(keller, "delete", keller.pk), {"post": "yes"})

        assert response.status_code == 302
        assert not Person.objects.exists()
        assert not Office.objects.exists()


# --- the other admins ----------------------------------------------------------------------


@pytest.mark.django_db
def test_person_list_shows_current_office(admin_client):
    make_keller()
    html = admin_client.get(reverse("admin:cityhall_person_changelist")).content.decode()
    assert "Oberbürgermeister, Landeshauptstadt Düsseldorf" in html
    assert "Stadtdirektor" not in html


@pytest.mark.django_db
def test_person_change_lists_releases_quoting_them(admin_client):
    keller = make_keller()
    release = make_release(title="Delegation aus Haifa")
    add_quote(release, keller)

    html = admin_client.get(admin_url(keller, "change", keller.pk)).content.decode()

    link = f'<a href="{admin_url(release, "change", release.pk)}">Delegation aus Haifa</a>'
    assert f"Zitat in Pressemitteilung: {link}" in html


@pytest.mark.django_db
def test_person_with_offices_inline(admin_client):
    url = reverse("admin:cityhall_person_add")
    data = {
        "honorific": "",
        "name": "Miriam Koch",
        "note": "",
        "offices-TOTAL_FORMS": "1",
        "offices-INITIAL_FORMS": "0",
        "offices-MIN_NUM_FORMS": "0",
        "offices-MAX_NUM_FORMS": "1000",
        "offices-0-role": "Beigeordnete",
        "offices-0-organisation": "Landeshauptstadt Düsseldorf",
        "offices-0-start": "2020-11-01",
        "offices-0-end": "",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    person = Person.objects.get(name="Miriam Koch")
    assert str(person.office_on()) == "Beigeordnete, Landeshauptstadt Düsseldorf"


@pytest.mark.django_db
def test_image_change_lists_where_it_is_used(admin_client):
    image = make_image(title="Rathaus")
    lead = make_release(title="Neue Radwege", image=image)
    in_body = make_release(title="Besuch aus Haifa")
    add_image(in_body, image)
    make_release(title="Ohne Bild")

    html = admin_client.get(admin_url(image, "change", image.pk)).content.decode()

    lead_link = f'<a href="{admin_url(lead, "change", lead.pk)}">Neue Radwege</a>'
    body_link = f'<a href="{admin_url(in_body, "change", in_body.pk)}">Besuch aus Haifa</a>'
    assert f"Aufmacherbild in Pressemitteilung: {lead_link}" in html
    assert f"Bild in Pressemitteilung: {body_link}" in html
    assert "Ohne Bild" not in html


@pytest.mark.django_db
def test_partnership_with_project_inline(admin_client):
    jugend = Theme.objects.create(name="Jugend")
    sport = Theme.objects.create(name="Sport")
    response = admin_client.get(reverse("admin:partnerships_partnership_add"))
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = {
        "partner_city": "Reading",
        "country": "GB",
        "kind": "partnership",
        "status": "active",
        "since": "1988",
        "summary": "",
        "slug": "",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-title": "Jugendaustausch",
        f"{prefix}-0-start": "2022",
        f"{prefix}-0-end": "",
        f"{prefix}-0-summary": "",
        f"{prefix}-0-themes": [str(jugend.pk), str(sport.pk)],
    }

    response = admin_client.post(reverse("admin:partnerships_partnership_add"), data)

    assert response.status_code == 302, form_errors(response)
    partnership = Partnership.objects.get()
    assert (partnership.slug, partnership.country) == ("reading", "GB")
    project = partnership.projects.get()
    assert set(project.themes.all()) == {jugend, sport}
    assert project.year == 2022


@pytest.mark.django_db
def test_project_changelist_filters(admin_client):
    reading = make_partnership(partner_city="Reading")
    haifa = make_partnership(partner_city="Haifa")
    jugend = Theme.objects.create(name="Jugend")
    exchange = make_project(reading, title="Jugendaustausch")
    exchange.themes.add(jugend)
    make_project(haifa, title="Kunstausstellung")
    url = reverse("admin:partnerships_project_changelist")

    assert changelist_pks(admin_client.get(url, {"themes__id__exact": jugend.pk})) == {exchange.pk}
    assert changelist_pks(admin_client.get(url, {"partnership__id__exact": reading.pk})) == {exchange.pk}
    assert changelist_pks(admin_client.get(url, {"q": "Reading"})) == {exchange.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Person, Image, Project, Partnership, Contact])
def test_other_changelists_query_count_does_not_grow(admin_client, django_assert_max_num_queries, model):
    licence = License.objects.get(name="CC BY 4.0")
    theme = Theme.objects.create(name="Jugend")

    def populate(count):
        for _ in range(count):
            if model is Person:
                make_person(office={"role": "Beigeordnete", "organisation": "Stadt"})
            elif model is Image:
                make_image(license=licence)
            elif model is Project:
                make_project(make_partnership()).themes.add(theme)
            elif model is Partnership:
                make_project(make_partnership())
            else:
                make_contact()

    url = admin_url(model, "changelist")
    populate(2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    populate(10)
    with django_assert_max_num_queries(len(few)):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 12
