"""A release's ordered body: text, quote, image and background blocks."""

from content_editor.models import create_plugin_base
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.library.models import Image, Person
from cityhall.library.richtext import RichTextField

from .releases import PressRelease

PressReleaseBlock = create_plugin_base(PressRelease)

EMPTY_AFTER_SANITISING = _(
    "Der Text ist nach dem Bereinigen leer: Skripte, Stile und andere nicht erlaubte Auszeichnungen "
    "werden entfernt. Bitte Text eingeben (erlaubt sind Absätze, Zwischenüberschriften, Listen, "
    "Links und Hervorhebungen)."
)


class _SanitisedText:
    """A block whose rich text (``html``) must say something once sanitised. The field itself
    sanitises while it is cleaned, so HTML that was only disallowed markup (``<script>…</script>``)
    would pass as non-empty and be stored as "", which the import then refuses: an error of the
    model instead, so the admin shows it at the field and nothing is stored that cannot be moved."""

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)  # sanitises html
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "html" not in errors and "html" not in (exclude or ()) and not self.html:
            errors["html"] = [ValidationError(EMPTY_AFTER_SANITISING, code="empty_after_sanitising")]
        if errors:
            raise ValidationError(errors)


class TextBlock(_SanitisedText, PressReleaseBlock):
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


class BackgroundBlock(_SanitisedText, PressReleaseBlock):
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
