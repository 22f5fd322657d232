"""Joint projects of a partnership and the themes they are filed under."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.library.dates import validate_date
from cityhall.library.slugs import unique_slug

from .. import dates
from ..dates import Precision
from .partnerships import Partnership


class Theme(models.Model):
    """Managed list of project themes (Jugend, Sport, Kultur, …)."""

    name = models.CharField(_("Bezeichnung"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Theme.objects.all(), self.name, fallback="thema", exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partnerships:themes") + f"#{self.slug}"


class ProjectQuerySet(models.QuerySet):
    def timeline(self):
        """Oldest first; projects without a date last."""
        return self.order_by(F("start").asc(nulls_last=True), F("end").asc(nulls_last=True), "title")

    def public(self):
        return self.filter(partnership__in=Partnership.objects.public())


class Project(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="projects", verbose_name=_("Partnerschaft")
    )
    title = models.CharField(_("Titel"), max_length=200)
    start = models.DateField(
        _("Beginn"),
        null=True,
        blank=True,
        help_text=_("Erster Tag des Zeitraums; die Genauigkeit sagt, ob Jahr, Monat oder Tag gemeint ist."),
        validators=[validate_date],
    )
    start_precision = models.CharField(
        _("Genauigkeit des Beginns"), max_length=5, choices=Precision.choices, default=Precision.YEAR
    )
    end = models.DateField(
        _("Ende"),
        null=True,
        blank=True,
        help_text=_("Nur bei Projekten über einen Zeitraum; letzter Tag des Zeitraums."),
        validators=[validate_date],
    )
    end_precision = models.CharField(
        _("Genauigkeit des Endes"), max_length=5, choices=Precision.choices, default=Precision.YEAR
    )
    summary = models.TextField(_("Kurzbeschreibung"), blank=True)
    participants = models.TextField(
        _("Beteiligte"),
        blank=True,
        help_text=_(
            "Wer mitgemacht hat, z. B. „30 Bürgerinnen und Bürger aus Chemnitz und 30 aus Düsseldorf“."
        ),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects", verbose_name=_("Themen"))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", F("start").asc(nulls_last=True), "title"]
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "title"], name="partnerships_project_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="partnerships_project_end_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=False),
                name="partnerships_project_end_needs_start",
                violation_error_message=_("Ein Ende ohne Beginn ist nicht möglich."),
            ),
            models.CheckConstraint(
                condition=Q(start_precision__in=["year", "month", "day"])
                & Q(end_precision__in=["year", "month", "day"]),
                name="partnerships_project_precision_valid",
            ),
        ]

    def __str__(self):
        when = self.period
        return f"{self.title} ({when})" if when else self.title

    def save(self, *args, **kwargs):
        self.normalise_dates()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.normalise_dates()
        if self.end and not self.start:
            raise ValidationError({"end": _("Ein Ende ohne Beginn ist nicht möglich.")})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Das Ende darf nicht vor dem Beginn liegen.")})

    def normalise_dates(self):
        """A year or month is stored as its first day (beginning) or last day (end)."""
        self.start = dates.normalise(self.start, self.start_precision)
        self.end = dates.normalise(self.end, self.end_precision, end=True)

    @property
    def year(self):
        return self.start.year if self.start else None

    @property
    def end_year(self):
        return self.end.year if self.end else None

    @property
    def period(self):
        """As printed: "2020", "Oktober 2020", "2019–2020"."""
        return dates.german_range(self.start, self.start_precision, self.end, self.end_precision)

    @property
    def start_iso(self):
        return dates.iso(self.start, self.start_precision)

    @property
    def end_iso(self):
        return dates.iso(self.end, self.end_precision)
