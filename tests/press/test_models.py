from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cityhall.library.models import Image, Person
from press.models import PressRelease, TextBlock
from tests.factories import add_image, add_quote, add_text, make_image, make_person, make_release

pytestmark = pytest.mark.django_db


class TestPublishedRule:
    def test_published_excludes_drafts_and_future(self):
        now = timezone.now()
        visible = make_release(published_at=now - timedelta(seconds=1))
        make_release(status=PressRelease.Status.DRAFT, published_at=now - timedelta(days=1))
        make_release(published_at=now + timedelta(minutes=5))
        assert list(PressRelease.objects.published()) == [visible]

    def test_becomes_visible_when_time_is_reached(self):
        at = timezone.now() + timedelta(hours=1)
        release = make_release(published_at=at)
        assert release not in PressRelease.objects.published(now=at - timedelta(seconds=1))
        assert release in PressRelease.objects.published(now=at)


class TestSlug:
    def test_generated_from_title_with_transliteration(self):
        release = make_release(title="Grüße an die Partnerstädte – Düsseldorf & Chemnitz")
        assert release.slug == "gruesse-an-die-partnerstaedte-duesseldorf-chemnitz"

    def test_unique_with_suffix(self):
        first = make_release(title="Gleicher Titel")
        second = make_release(title="Gleicher Titel")
        assert first.slug == "gleicher-titel"
        assert second.slug == "gleicher-titel-2"

    def test_digits_only_title_makes_a_digits_only_slug(self):
        # The archives live under /pressemitteilungen/archiv/, so a year is a slug like any other.
        release = make_release(title="2025")
        assert release.slug == "2025"

    def test_reserved_slug_rejected_in_forms(self):
        release = PressRelease(title="Jahr", slug="archiv")
        with pytest.raises(ValidationError) as excinfo:
            release.full_clean()
        assert "slug" in excinfo.value.message_dict

    def test_never_empty(self):
        assert make_release(title="!!!").slug == "pressemitteilung"

    def test_long_title_keeps_120_characters_or_more(self):
        title = "Oberbürgermeister Dr. Stephan Keller bespricht bei einem virtuellen Treffen mit Sven Schulze, Oberbürgermeister von Chemnitz, die Weiterentwicklung der Städtepartnerschaft"
        release = make_release(title=title)
        assert len(release.slug) >= 120
        assert release.slug.startswith("oberbuergermeister-dr-stephan-keller")

    def test_empty_slug_rejected_by_database(self):
        release = make_release()
        with pytest.raises(IntegrityError), transaction.atomic():
            PressRelease.objects.filter(pk=release.pk).update(slug="")


class TestQuotes:
    def test_role_taken_from_office_on_release_date_and_kept_after_election(self):
        keller = make_person(
            name="Stephan Keller",
            honorific="Dr.",
            office={
                "role": "Oberbürgermeister",
                "organisation": "Landeshauptstadt Düsseldorf",
                "start": date(2020, 11, 1),
            },
        )
        release = make_release(published_at=timezone.now() - timedelta(days=30))
        quote = add_quote(release, keller, text="Wir bleiben im Gespräch.")
        assert (quote.role, quote.organisation) == ("Oberbürgermeister", "Landeshauptstadt Düsseldorf")

        # After an election the office ends; the old quote keeps the role it was given.
        office = keller.offices.get()
        office.end = timezone.localdate() - timedelta(days=1)
        office.save()
        keller.offices.create(
            role="Ratsmitglied", organisation="Landeshauptstadt Düsseldorf", start=timezone.localdate()
        )
        quote.refresh_from_db()
        quote.save()
        assert quote.role == "Oberbürgermeister"

    def test_deleting_a_quoted_person_is_refused_naming_the_release(self):
        person = make_person(name="Sven Schulze")
        release = make_release(title="Virtuelles Treffen der Partnerstädte")
        add_quote(release, person)
        with pytest.raises(ProtectedError) as excinfo:
            person.delete()
        assert "Virtuelles Treffen der Partnerstädte" in str(excinfo.value.args[0])
        assert Person.objects.filter(pk=person.pk).exists()


class TestImagesInUse:
    def test_image_used_in_block_cannot_be_deleted(self):
        image = make_image()
        release = make_release(title="Mit Bild")
        add_image(release, image)
        with pytest.raises(ProtectedError) as excinfo:
            image.delete()
        assert "Mit Bild" in str(excinfo.value.args[0])
        assert Image.objects.filter(pk=image.pk).exists()

    def test_lead_image_cannot_be_deleted(self):
        image = make_image()
        make_release(image=image)
        with pytest.raises(ProtectedError):
            image.delete()

    def test_alt_text_required_unless_decorative(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_image(alt_text="")
        assert make_image(alt_text="", decorative=True).pk


class TestRichTextSanitisedOnSave:
    def test_text_block_is_sanitised_whatever_the_path(self):
        block = add_text(make_release(), html='<p onclick="x()">Hi<script>alert(1)</script></p>')
        stored = TextBlock.objects.get(pk=block.pk).html
        assert stored == "<p>Hi</p>"


class TestControlCharacters:
    def test_pasted_control_characters_are_removed_on_save(self):
        release = make_release(title="Titel\x0bmit\x00Steuerzeichen\x1f", lead="Zeile 1\nZeile 2\tTab")
        add_quote(release, make_person(name="Sven\x08 Schulze"), text="Zitat\x0c mit Seitenumbruch")
        release.refresh_from_db()
        assert release.title == "Titel mitSteuerzeichen"
        assert release.lead == "Zeile 1\nZeile 2\tTab"  # newlines and tabs stay
        quote = release.press_quoteblock_set.get()
        assert quote.text == "Zitat  mit Seitenumbruch"
        assert quote.speaker.name == "Sven Schulze"
