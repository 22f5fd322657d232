"""Partner cities: the partnership, its dates and anniversaries."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cityhall.library.dates import validate_date
from cityhall.library.models import Contact, Image, ImageUse
from cityhall.library.redirects import KeepOldAddress
from cityhall.library.richtext import RichTextField
from cityhall.library.slugs import base_slug, unique_slug, validate_slug

from .. import dates
from ..dates import Precision

# Right-to-left scripts, so that a partner city's own name is set with dir="rtl".
RTL_LANGUAGES = {"ar", "dv", "fa", "he", "ps", "ur", "yi"}
# Anniversaries worth a press release: every fifth year.
ANNIVERSARY_STEP = 5

wikidata_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", _("Eine Wikidata-Kennung beginnt mit Q und hat danach nur Ziffern, z. B. „Q2795“.")
)
language_validator = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    _("Ein Sprachkürzel nach BCP 47, z. B. „pl“, „ru“, „zh-Hans“ oder „uk“."),
)


class PartnershipQuerySet(models.QuerySet):
    def public(self):
        """Partnerships with a public page: all of them, ended ones too (their history stays)."""
        return self.all()

    def current(self):
        """Active and dormant partnerships: the overview and the map."""
        return self.exclude(status=Partnership.Status.ENDED)

    def anniversaries(self, today=None, months=24):
        """The round anniversaries (every ``ANNIVERSARY_STEP`` years) of founding and of first contact
        between ``today`` and ``months`` months later, soonest first; ended partnerships left out."""
        today = today or timezone.localdate()
        until = add_months(today, months)
        found = []
        for partnership in self.exclude(status=Partnership.Status.ENDED):
            found += partnership.anniversaries_between(today, until)
        return sorted(found, key=lambda a: (a.starts, a.partnership.partner_city, a.kind))


class Partnership(KeepOldAddress, ImageUse, models.Model):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("Städtepartnerschaft")
        FRIENDSHIP = "friendship", _("Städtefreundschaft")
        COOPERATION = "cooperation", _("Kooperation")

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        DORMANT = "dormant", _("ruhend")
        ENDED = "ended", _("beendet")

    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=120,
        unique=True,
        blank=True,
        validators=[validate_slug],
        help_text=_("Wird aus dem Städtenamen erzeugt, wenn leer."),
    )
    partner_city = models.CharField(
        _("Partnerstadt"), max_length=120, help_text=_("Der deutsche Name, z. B. „Warschau“.")
    )
    native_name = models.CharField(
        _("Name in der Landessprache"),
        max_length=120,
        blank=True,
        help_text=_("z. B. „Warszawa“, „Москва“ oder „重庆“; leer, wenn er dem deutschen Namen gleicht."),
    )
    native_language = models.CharField(
        _("Sprache dieses Namens"),
        max_length=20,
        blank=True,
        validators=[language_validator],
        help_text=_(
            "Sprachkürzel, damit Vorlesesoftware den Namen richtig ausspricht: „pl“, „ru“, „zh“, „uk“, „he“, „ja“, „it“, „en“."
        ),
    )
    country = CountryField(_("Land"), help_text=_("Das Land der Partnerstadt (ISO 3166-1)."))
    kind = models.CharField(
        _("Art"), max_length=20, choices=Kind.choices, default=Kind.PARTNERSHIP, db_index=True
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_changed_on = models.DateField(
        _("Status seit"),
        null=True,
        blank=True,
        help_text=_(
            "Datum der letzten Änderung des Status; Pflicht bei ruhenden und beendeten Partnerschaften."
        ),
        validators=[validate_date],
    )
    status_reason = models.TextField(
        _("Grund der Statusänderung"),
        blank=True,
        help_text=_(
            "z. B. „Nach dem russischen Angriff auf die Ukraine ausgesetzt.“ Wird öffentlich angezeigt."
        ),
    )
    first_contact_year = models.PositiveSmallIntegerField(
        _("Erster Kontakt (Jahr)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9999)],
        help_text=_("Wenn die Beziehung älter ist als die Partnerschaft, z. B. Reading: 1947."),
    )
    since = models.PositiveSmallIntegerField(
        _("Partnerschaft seit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9999)],
        help_text=_("Gründungsjahr, z. B. 1988. Wird aus dem Gründungsdatum übernommen, wenn leer."),
    )
    founded_on = models.DateField(
        _("Gründungsdatum"),
        null=True,
        blank=True,
        help_text=_("Tag der Unterzeichnung, wenn bekannt; Jubiläen werden dann auf den Tag genau geplant."),
        validators=[validate_date],
    )
    council_decision_on = models.DateField(
        _("Ratsbeschluss vom"), null=True, blank=True, validators=[validate_date]
    )
    council_decision = models.CharField(
        _("Ratsbeschluss"),
        max_length=300,
        blank=True,
        help_text=_("Was der Rat beschlossen hat, ggf. mit Vorlagennummer, z. B. „Einstimmiger Beschluss“."),
    )
    office = models.CharField(
        _("Zuständige Stelle"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Büro für Internationale und Europäische Angelegenheiten“."),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("Ansprechperson"),
    )
    summary = models.TextField(
        _("Kurzbeschreibung"),
        blank=True,
        help_text=_("Zwei, drei Sätze; erscheinen in Listen und Vorschauen."),
    )
    description = RichTextField(_("Beschreibung"), blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Für die Karte, z. B. 50.83280 (Norden positiv)."),
    )
    longitude = models.DecimalField(
        _("Längengrad"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("z. B. 12.92310 (Osten positiv, Westen negativ)."),
    )
    wikidata_id = models.CharField(
        _("Wikidata-Kennung"),
        max_length=20,
        blank=True,
        validators=[wikidata_validator],
        help_text=_("z. B. „Q2795“ für Chemnitz; verknüpft die Seite in den strukturierten Daten."),
    )
    image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("Bild"),
    )
    updated_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["partner_city"]
        verbose_name = _("Städtepartnerschaft")
        verbose_name_plural = _("Städtepartnerschaften")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["partnership", "friendship", "cooperation"]),
                name="partnerships_partnership_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "dormant", "ended"]),
                name="partnerships_partnership_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_changed_on__isnull=False),
                name="partnerships_partnership_status_dated",
                violation_error_message=_(
                    "Bei einer ruhenden oder beendeten Partnerschaft bitte angeben, seit wann."
                ),
            ),
            models.CheckConstraint(
                condition=Q(first_contact_year__isnull=True)
                | Q(since__isnull=True)
                | Q(first_contact_year__lte=F("since")),
                name="partnerships_partnership_contact_before_founding",
                violation_error_message=_("Der erste Kontakt kann nicht nach der Gründung liegen."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="partnerships_partnership_coordinates",
                violation_error_message=_(
                    "Bitte Breiten- und Längengrad zusammen angeben (Breite −90 bis 90, Länge −180 bis 180)."
                ),
            ),
        ]

    def __str__(self):
        return self.partner_city

    def save(self, *args, **kwargs):
        self.fill_slug()
        self.fill_since()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    @classmethod
    def default_slug(cls, partner_city):
        """The slug a partnership gets from the city's name before it is made unique."""
        return base_slug(partner_city, fallback="partnerschaft")

    @classmethod
    def address_kept_for(cls):
        """Partnerships whose old address redirects when their slug changes (``KeepOldAddress``)."""
        return cls.objects.public()

    def fill_since(self):
        """The year of the founding, from the founding date when only that is given (on clean and save,
        so whoever validates sees the value that will be stored)."""
        if self.founded_on and not self.since:
            self.since = self.founded_on.year

    def fill_slug(self):
        """Generate the slug from the city's name when it is empty (``default_slug``, made unique)."""
        if not self.slug:
            self.slug = unique_slug(
                Partnership.objects.all(), self.partner_city, fallback="partnerschaft", exclude_pk=self.pk
            )

    def clean(self):
        super().clean()
        self.fill_since()
        errors = {}
        if self.status != self.Status.ACTIVE and not self.status_changed_on:
            errors["status_changed_on"] = _(
                "Bei einer ruhenden oder beendeten Partnerschaft bitte angeben, seit wann."
            )
        if self.founded_on and self.since and self.founded_on.year != self.since:
            errors["since"] = _("Das Jahr passt nicht zum Gründungsdatum (%(year)s).") % {
                "year": self.founded_on.year
            }
        founding_year = self.since or (self.founded_on.year if self.founded_on else None)
        if self.first_contact_year and founding_year and self.first_contact_year > founding_year:
            errors["first_contact_year"] = _("Der erste Kontakt kann nicht nach der Gründung liegen.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Bitte Breiten- und Längengrad zusammen angeben."
            )
        if self.native_name and not self.native_language:
            errors["native_language"] = _("Bitte angeben, in welcher Sprache der Name geschrieben ist.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_dormant(self):
        return self.status == self.Status.DORMANT

    @property
    def is_ended(self):
        return self.status == self.Status.ENDED

    @property
    def status_text(self):
        """ "aktiv", "ruht seit 25. Februar 2022", "beendet am 1. Mai 2000"."""
        if self.is_active:
            return str(self.Status.ACTIVE.label)
        verb = _("ruht seit") if self.is_dormant else _("beendet am")
        if not self.status_changed_on:
            return str(self.get_status_display())
        return f"{verb} {dates.german(self.status_changed_on, Precision.DAY)}"

    @property
    def shows_native_name(self):
        return bool(self.native_name) and self.native_name != self.partner_city

    @property
    def native_direction(self):
        return "rtl" if self.native_language.split("-")[0] in RTL_LANGUAGES else "ltr"

    @property
    def founding_year(self):
        return self.since or (self.founded_on.year if self.founded_on else None)

    @property
    def wikidata_url(self):
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}" if self.wikidata_id else ""

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    def age_in(self, year):
        """Years since the founding in ``year`` (35 in 2023 for a partnership of 1988), or None."""
        if not self.founding_year or year <= self.founding_year:
            return None
        return year - self.founding_year

    def anniversaries_between(self, start, end):
        """Round anniversaries falling between the dates ``start`` and ``end`` (inclusive). With only a
        year known, an anniversary counts when its year overlaps the period."""
        found = []
        events = [(Anniversary.FOUNDING, self.founding_year, self.founded_on)]
        if self.first_contact_year and self.first_contact_year != self.founding_year:
            events.append((Anniversary.FIRST_CONTACT, self.first_contact_year, None))
        for kind, year, day in events:
            if not year:
                continue
            for target in range(start.year, end.year + 1):
                years = target - year
                if years <= 0 or years % ANNIVERSARY_STEP:
                    continue
                if day is not None:
                    exact = _same_day_in(day, target)
                    if start <= exact <= end:
                        found.append(Anniversary(self, kind, years, exact, exact))
                elif date(target, 12, 31) >= start and date(target, 1, 1) <= end:
                    found.append(Anniversary(self, kind, years, date(target, 1, 1), None))
        return found


@dataclass(frozen=True)
class Anniversary:
    """A round anniversary: ``years`` years of founding (or of first contact) on ``day``, or in the
    year of ``starts`` when the day is not known."""

    FOUNDING = "founding"
    FIRST_CONTACT = "first_contact"

    partnership: Partnership
    kind: str
    years: int
    starts: date
    day: date | None

    @property
    def year(self):
        return self.starts.year

    @property
    def label(self):
        if self.kind == self.FIRST_CONTACT:
            return _("%(years)d Jahre erster Kontakt") % {"years": self.years}
        return _("%(years)d Jahre %(kind)s") % {
            "years": self.years,
            "kind": self.partnership.get_kind_display(),
        }


def _same_day_in(day, year):
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
