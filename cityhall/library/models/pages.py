"""Site pages of the city: Leichte Sprache pages and feedback on accessibility."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.library.richtext import RichTextField
from cityhall.library.slugs import unique_slug


class EasyLanguagePageQuerySet(models.QuerySet):
    def on_home(self):
        """Pages linked from the home page, in their order (BITV 2.0 § 4)."""
        return self.filter(show_on_home=True).only("title", "slug")


class EasyLanguagePage(models.Model):
    """A page in Leichte Sprache (easy-to-read German), e.g. "Das ist die Presse-Stelle"."""

    title = models.CharField(
        _("Titel"), max_length=200, help_text=_("Kurz und einfach, z. B. „Was macht die Presse-Stelle?“")
    )
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Wird aus dem Titel erzeugt, wenn leer."),
    )
    body = RichTextField(
        _("Text"),
        help_text=_(
            "Kurze Sätze, ein Gedanke pro Satz, schwere Wörter erklären. Zwischenüberschriften helfen."
        ),
    )
    show_on_home = models.BooleanField(
        _("Auf der Startseite verlinken"),
        default=True,
        help_text=_(
            "Die Startseite muss auf die Informationen in Leichter Sprache verweisen (BITV 2.0 § 4)."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen zuerst.")
    )
    updated_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)

    objects = EasyLanguagePageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("Seite in Leichter Sprache")
        verbose_name_plural = _("Seiten in Leichter Sprache")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                EasyLanguagePage.objects, self.title, fallback="leichte-sprache", exclude_pk=self.pk
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cityhall:easy_language_page", kwargs={"slug": self.slug})


class AccessibilityFeedback(models.Model):
    """A message sent with the form on the accessibility statement: a barrier someone met."""

    message = models.TextField(_("Nachricht"))
    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    created_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True, db_index=True)
    handled = models.BooleanField(
        _("Erledigt"), default=False, help_text=_("Ankreuzen, wenn die Nachricht beantwortet ist.")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y}: {self.message[:60]}" if self.created_at else self.message[:60]
