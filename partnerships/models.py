"""Twin-city partnerships and the projects run with each partner city."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.text import unique_slug


class PartnershipQuerySet(models.QuerySet):
    def public(self):
        """Partnerships shown on the public site (all of them, for now)."""
        return self.all()


class Partnership(models.Model):
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Wird aus dem Städtenamen erzeugt, wenn leer."),
    )
    partner_city = models.CharField(_("Partnerstadt"), max_length=120)
    country = models.CharField(
        _("Land"), max_length=2, help_text=_("Ländercode nach ISO 3166-1, z. B. „DE“, „PL“, „IL“.")
    )
    since = models.PositiveSmallIntegerField(
        _("Partnerschaft seit"), null=True, blank=True, help_text=_("Gründungsjahr, z. B. 1988.")
    )
    summary = models.TextField(_("Kurzbeschreibung"), blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["partner_city"]
        verbose_name = _("Städtepartnerschaft")
        verbose_name_plural = _("Städtepartnerschaften")

    def __str__(self):
        return self.partner_city

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Partnership.objects, self.partner_city, fallback="partnerschaft", exclude_pk=self.pk
            )
        self.country = (self.country or "").upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})


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
            self.slug = unique_slug(Theme.objects, self.name, fallback="thema", exclude_pk=self.pk)
        super().save(*args, **kwargs)


class Project(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="projects", verbose_name=_("Partnerschaft")
    )
    title = models.CharField(_("Titel"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Jahr (Beginn)"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        _("Jahr (Ende)"), null=True, blank=True, help_text=_("Nur bei mehrjährigen Projekten.")
    )
    summary = models.TextField(_("Kurzbeschreibung"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="projects", verbose_name=_("Themen"))

    class Meta:
        ordering = ["partnership", "year", "title"]
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "title"], name="partnerships_project_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(year__isnull=True) | Q(end_year__gte=models.F("year")),
                name="partnerships_project_end_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title
