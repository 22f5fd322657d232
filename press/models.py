"""Press releases and their ordered body of blocks."""

from content_editor.models import Region, create_plugin_base
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from cityhall.models import Contact, Image, Person
from cityhall.richtext import RichTextField
from cityhall.text import german_slugify, unique_slug
from partnerships.models import Partnership, Project

SLUG_MAX_LENGTH = 160


class PressReleaseQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one publishing rule: status published and publication time reached.
        Every public surface (pages, feeds, sitemap, search) goes through here."""
        return self.filter(status=PressRelease.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def for_listing(self):
        return self.select_related("image").prefetch_related("tags").order_by("-published_at", "-pk")


class PressRelease(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("Veröffentlicht")

    regions = [Region(key="body", title=_("Text der Pressemitteilung"))]

    kicker = models.CharField(
        _("Dachzeile"),
        max_length=120,
        blank=True,
        help_text=_("Steht klein über dem Titel, z. B. „Internationales“."),
    )
    title = models.CharField(_("Titel"), max_length=300)
    subtitle = models.CharField(_("Untertitel"), max_length=300, blank=True)
    lead = models.TextField(
        _("Vorspann"), blank=True, help_text=_("Ein bis drei Sätze, die das Wichtigste zusammenfassen.")
    )
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        allow_unicode=False,
        help_text=_(
            "Wird aus dem Titel erzeugt, wenn leer (ä wird ae, ß wird ss). Nach der Veröffentlichung nicht mehr ändern."
        ),
    )
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("Veröffentlichungszeitpunkt"),
        default=timezone.now,
        db_index=True,
        help_text=_("Datum und Uhrzeit (Europe/Berlin), ab der die Mitteilung öffentlich erscheint."),
    )
    image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_for_releases",
        verbose_name=_("Aufmacherbild"),
    )
    image_alt = models.CharField(
        _("Alternativtext (abweichend)"),
        max_length=400,
        blank=True,
        help_text=_(
            "Nur ausfüllen, wenn hier ein anderer Alternativtext als in der Bildbibliothek gelten soll."
        ),
    )
    image_caption = models.TextField(
        _("Bildunterschrift (abweichend)"),
        blank=True,
        help_text=_(
            "Nur ausfüllen, wenn hier eine andere Bildunterschrift als in der Bildbibliothek gelten soll."
        ),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="press_releases",
        verbose_name=_("Pressekontakt"),
    )
    partnerships = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="press_releases",
        verbose_name=_("Städtepartnerschaften"),
        help_text=_("Partnerstädte, um die es in der Mitteilung geht."),
    )
    projects = models.ManyToManyField(
        Project,
        blank=True,
        related_name="press_releases",
        verbose_name=_("Partnerschaftsprojekte"),
        help_text=_("Projekte aus den Städtepartnerschaften, über die berichtet wird."),
    )
    tags = TaggableManager(
        _("Schlagwörter"), blank=True, help_text=_("Mehrere Schlagwörter mit Komma trennen.")
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)

    objects = PressReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("Pressemitteilung")
        verbose_name_plural = _("Pressemitteilungen")
        indexes = [models.Index(fields=["status", "-published_at"], name="press_release_public_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="press_release_slug_not_empty"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("press:detail", kwargs={"slug": self.slug})

    def fill_slug(self):
        """Generate the slug from the title when it is empty; it is never stored empty."""
        if not self.slug:
            title = self.title
            if german_slugify(title, max_length=SLUG_MAX_LENGTH).isdigit():
                title = f"pressemitteilung {title}"  # never collide with the year archive
            self.slug = unique_slug(
                PressRelease.objects,
                title,
                max_length=SLUG_MAX_LENGTH,
                fallback="pressemitteilung",
                exclude_pk=self.pk,
            )

    def clean(self):
        super().clean()
        if self.slug.isdigit():
            # /pressemitteilungen/2025/ is the year archive.
            raise ValidationError({"slug": _("Der Kurzname darf nicht nur aus Ziffern bestehen.")})
        self.fill_slug()

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def lead_image_alt(self):
        if self.image is None or (self.image.decorative and not self.image_alt):
            return ""
        return self.image_alt or self.image.alt_text

    @property
    def lead_image_caption(self):
        return self.image_caption or (self.image.caption if self.image else "")


PressReleaseBlock = create_plugin_base(PressRelease)


class TextBlock(PressReleaseBlock):
    html = RichTextField(_("Text"))

    class Meta:
        verbose_name = _("Text")
        verbose_name_plural = _("Texte")

    def __str__(self):
        return _("Text in „%(release)s“") % {"release": self.parent}


class QuoteBlock(PressReleaseBlock):
    """A quote, attributed to a person with the role and organisation as stated at the time,
    so an old release still reads "Oberbürgermeister" after an election."""

    text = models.TextField(_("Zitat"), help_text=_("Ohne Anführungszeichen; die setzt die Seite."))
    speaker = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("Person")
    )
    role = models.CharField(
        _("Funktion zum Zeitpunkt des Zitats"),
        max_length=200,
        blank=True,
        help_text=_("Wird aus dem Amt der Person übernommen, wenn leer."),
    )
    organisation = models.CharField(
        _("Organisation zum Zeitpunkt des Zitats"),
        max_length=200,
        blank=True,
        help_text=_("Wird aus dem Amt der Person übernommen, wenn leer."),
    )

    class Meta:
        verbose_name = _("Zitat")
        verbose_name_plural = _("Zitate")

    def __str__(self):
        return _("Zitat von %(person)s in „%(release)s“") % {"person": self.speaker, "release": self.parent}

    @classmethod
    def get_queryset(cls):
        return super().get_queryset().select_related("speaker")

    @property
    def attribution(self):
        """Speaker, role and organisation as printed under the quote, e.g.
        "Dr. Stephan Keller, Oberbürgermeister, Landeshauptstadt Düsseldorf"."""
        return ", ".join(part for part in (self.speaker.full_name, self.role, self.organisation) if part)

    @property
    def paragraphs(self):
        """The quote split at line breaks, without empty lines."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    def fill_role_from_office(self):
        """Copy role and organisation from the office held on the release date, once."""
        if self.role and self.organisation:
            return
        day = timezone.localdate(self.parent.published_at) if self.parent.published_at else None
        office = self.speaker.office_on(day)
        if office:
            self.role = self.role or office.role
            self.organisation = self.organisation or office.organisation

    def save(self, *args, **kwargs):
        self.fill_role_from_office()
        super().save(*args, **kwargs)


class ImageBlock(PressReleaseBlock):
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="blocks", verbose_name=_("Bild"))
    alt_text = models.CharField(
        _("Alternativtext (abweichend)"),
        max_length=400,
        blank=True,
        help_text=_(
            "Nur ausfüllen, wenn hier ein anderer Alternativtext als in der Bildbibliothek gelten soll."
        ),
    )
    caption = models.TextField(
        _("Bildunterschrift (abweichend)"),
        blank=True,
        help_text=_(
            "Nur ausfüllen, wenn hier eine andere Bildunterschrift als in der Bildbibliothek gelten soll."
        ),
    )

    class Meta:
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")

    def __str__(self):
        return _("Bild in „%(release)s“") % {"release": self.parent}

    @classmethod
    def get_queryset(cls):
        return super().get_queryset().select_related("image__license")

    @property
    def effective_alt(self):
        if self.image.decorative and not self.alt_text:
            return ""
        return self.alt_text or self.image.alt_text

    @property
    def effective_caption(self):
        return self.caption or self.image.caption


class BackgroundBlock(PressReleaseBlock):
    title = models.CharField(
        _("Überschrift"), max_length=200, help_text=_("z. B. „Hintergrund Städtepartnerschaft“.")
    )
    html = RichTextField(_("Text"))

    class Meta:
        verbose_name = _("Hintergrund")
        verbose_name_plural = _("Hintergründe")

    def __str__(self):
        return _("Hintergrund in „%(release)s“") % {"release": self.parent}


BLOCK_MODELS = [TextBlock, QuoteBlock, ImageBlock, BackgroundBlock]
