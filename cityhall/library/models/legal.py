"""Legal pages every public body's site must have: Impressum (§ 5 DDG) and Datenschutzerklärung (DSGVO
Art. 13), one of each, written by the office in the admin and linked from every page's footer."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.library.richtext import RichTextField


class LegalPage(models.Model):
    class Kind(models.TextChoices):
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutzerklärung")

    kind = models.CharField(_("Seite"), max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    body = RichTextField(_("Text"))
    updated_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("Rechtliche Seite")
        verbose_name_plural = _("Rechtliche Seiten")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(f"cityhall:{self.kind}")
