"""City-wide things: officials and their offices, press contacts, the image library."""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.library.redirects import Redirect  # noqa: F401  (a model of this app, in its own module)
from cityhall.library.richtext import RichTextField
from cityhall.library.slugs import unique_slug


def staff_member_field(verbose_name):
    """Who did something (uploaded, submitted, approved…): kept as a record, so deleting the
    account empties the field instead of deleting the record."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=verbose_name,
    )


class ImageUse(models.Model):
    """A page that shows one image from the library (a release's lead image, a partnership's image)
    and may override its alt text and caption. Subclasses declare the ``image`` foreign key."""

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

    class Meta:
        abstract = True

    @property
    def lead_image_alt(self):
        if self.image is None or (self.image.decorative and not self.image_alt):
            return ""
        return self.image_alt or self.image.alt_text

    @property
    def lead_image_caption(self):
        return self.image_caption or (self.image.caption if self.image else "")


class PersonQuerySet(models.QuerySet):
    def with_offices(self):
        return self.prefetch_related("offices")


class Person(models.Model):
    """An official (or anyone else the press office quotes)."""

    honorific = models.CharField(
        _("Titel"),
        max_length=40,
        blank=True,
        help_text=_("Akademischer Titel vor dem Namen, z. B. „Dr.“ oder „Prof. Dr.“."),
    )
    name = models.CharField(
        _("Name"), max_length=200, help_text=_("Vor- und Nachname, z. B. „Stephan Keller“.")
    )
    note = models.CharField(
        _("Interne Notiz"),
        max_length=200,
        blank=True,
        help_text=_("Zur Unterscheidung gleichnamiger Personen; wird nicht veröffentlicht."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        constraints = [models.UniqueConstraint(fields=["name", "note"], name="cityhall_person_unique_name")]

    def __str__(self):
        return f"{self.full_name} ({self.note})" if self.note else self.full_name

    @property
    def full_name(self):
        return f"{self.honorific} {self.name}".strip()

    def delete(self, *args, **kwargs):
        try:
            return super().delete(*args, **kwargs)
        except ProtectedError as exc:
            used_in = sorted({str(obj) for obj in exc.protected_objects})
            raise ProtectedError(
                _("%(person)s wird noch zitiert und kann nicht gelöscht werden: %(where)s")
                % {"person": self.full_name, "where": "; ".join(used_in)},
                exc.protected_objects,
            ) from exc

    def office_on(self, day=None):
        """The office held on ``day`` (default: today), the most recent one if several."""
        day = day or timezone.localdate()
        for office in sorted(self.offices.all(), key=lambda o: o.start or day, reverse=True):
            if office.covers(day):
                return office
        return None


class Office(models.Model):
    """An office a person holds for a term, e.g. Oberbürgermeister from 2020."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="offices", verbose_name=_("Person")
    )
    role = models.CharField(
        _("Funktion"), max_length=200, help_text=_("z. B. „Oberbürgermeister“ oder „Beigeordnete“.")
    )
    organisation = models.CharField(
        _("Organisation"),
        max_length=200,
        help_text=_("z. B. „Landeshauptstadt Düsseldorf“ oder „Stadt Chemnitz“."),
    )
    start = models.DateField(_("Amtsbeginn"), null=True, blank=True)
    end = models.DateField(
        _("Amtsende"), null=True, blank=True, help_text=_("Leer lassen, solange das Amt andauert.")
    )

    class Meta:
        ordering = ["person", "-start"]
        verbose_name = _("Amt")
        verbose_name_plural = _("Ämter")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="cityhall_office_end_after_start",
                violation_error_message=_("Das Amtsende darf nicht vor dem Amtsbeginn liegen."),
            )
        ]

    def __str__(self):
        return f"{self.role}, {self.organisation}"

    def covers(self, day):
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class Contact(models.Model):
    """A press contact named under a release."""

    name = models.CharField(_("Name"), max_length=200)
    role = models.CharField(
        _("Funktion"), max_length=200, blank=True, help_text=_("z. B. „Pressesprecherin“.")
    )
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Pressekontakt")
        verbose_name_plural = _("Pressekontakte")
        constraints = [models.UniqueConstraint(fields=["name", "email"], name="cityhall_contact_unique")]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


# The licences every installation starts with (data migration cityhall 0004); editors add more.
MANAGED_LICENCES = [
    ("Alle Rechte vorbehalten", ""),
    ("Pressefoto: honorarfrei zur Berichterstattung", ""),
    ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.de"),
    ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.de"),
    ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.de"),
]


class License(models.Model):
    """Managed list of licences and usage terms for images."""

    name = models.CharField(_("Bezeichnung"), max_length=120, unique=True)
    url = models.URLField(_("Lizenztext (URL)"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Lizenz")
        verbose_name_plural = _("Lizenzen")

    def __str__(self):
        return self.name


def rights_valid_condition(today=None):
    """``Q`` on Image: the rights have not expired (no expiry date, or not passed yet)."""
    return Q(rights_expire_on__isnull=True) | Q(rights_expire_on__gte=today or timezone.localdate())


class ImageQuerySet(models.QuerySet):
    """Whether an image may be shown publicly is two questions: are its rights valid (answered
    here, the library knows the rights) and is it used on a public page (answered by the apps that
    have the pages: ``press.visibility``, which combines both into the one rule)."""

    def search(self, term):
        return self.filter(Q(title__icontains=term) | Q(caption__icontains=term) | Q(credit__icontains=term))

    def rights_valid(self, today=None):
        """Images whose rights still allow showing them (SQL twin of ``Image.rights_valid``)."""
        return self.filter(rights_valid_condition(today))

    def rights_expired(self, today=None):
        """The admin's list of images whose rights have run out."""
        return self.exclude(rights_valid_condition(today))


def image_upload_to(instance, filename):
    # The file name is generated by cityhall.library.imaging; only the date folder is added here.
    return timezone.now().strftime("images/%Y/%m/") + filename


class Image(models.Model):
    """One picture in the city-wide library, with the rights information that travels with it."""

    file = models.ImageField(
        _("Bilddatei"),
        upload_to=image_upload_to,
        width_field="width",
        height_field="height",
        help_text=_(
            "JPEG, PNG oder WebP. Die Datei wird beim Hochladen neu gespeichert, Metadaten (z. B. GPS) werden entfernt."
        ),
    )
    width = models.PositiveIntegerField(_("Breite"), editable=False, default=0)
    height = models.PositiveIntegerField(_("Höhe"), editable=False, default=0)
    title = models.CharField(
        _("Titel in der Bildbibliothek"),
        max_length=200,
        blank=True,
        help_text=_("Nur intern, zum Wiederfinden."),
    )
    alt_text = models.CharField(
        _("Alternativtext"),
        max_length=400,
        blank=True,
        help_text=_(
            "Beschreibt, was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen können. "
            "Pflicht, außer das Bild ist rein dekorativ."
        ),
    )
    decorative = models.BooleanField(
        _("Rein dekorativ"),
        default=False,
        help_text=_(
            "Nur ankreuzen, wenn das Bild keine Information trägt; dann bleibt der Alternativtext leer."
        ),
    )
    caption = models.TextField(_("Bildunterschrift"), blank=True)
    credit = models.CharField(
        _("Bildnachweis"),
        max_length=300,
        blank=True,
        help_text=_(
            "Wie er unter dem Bild steht, z. B. „© Landeshauptstadt Düsseldorf“ oder „Foto: Landeshauptstadt Düsseldorf/Malte Krudewig“."
        ),
    )
    copyright_holder = models.CharField(
        _("Rechteinhaber"), max_length=200, blank=True, help_text=_("z. B. „Landeshauptstadt Düsseldorf“.")
    )
    license = models.ForeignKey(
        License,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="images",
        verbose_name=_("Lizenz"),
    )
    photographer = models.CharField(
        _("Fotografin/Fotograf"),
        max_length=200,
        blank=True,
        help_text=_("Wer das Bild aufgenommen hat, z. B. „Malte Krudewig“."),
    )
    usage_terms = models.TextField(
        _("Nutzungsbedingungen"),
        blank=True,
        help_text=_(
            "Was bei der Nutzung gilt, z. B. „Nur zur Berichterstattung über die Städtepartnerschaft, "
            "Bildnachweis nennen“. Steht bei der Pressefoto-Herunterladung vor dem Link."
        ),
    )
    rights_expire_on = models.DateField(
        _("Nutzungsrechte bis"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Letzter Tag, an dem das Bild gezeigt werden darf. Danach erscheint öffentlich nur ein "
            "neutraler Platzhalter mit der Bildunterschrift. Leer lassen, wenn die Rechte unbefristet sind."
        ),
    )
    taken_on = models.DateField(_("Aufnahmedatum"), null=True, blank=True)
    focal_x = models.PositiveSmallIntegerField(
        _("Bildmittelpunkt waagerecht (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Wichtigste Stelle im Bild, von links (0) nach rechts (100). Zugeschnittene Fassungen "
            "(Vorschaubild 16:9, Vorschau in sozialen Medien) behalten diese Stelle im Bild."
        ),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("Bildmittelpunkt senkrecht (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Wichtigste Stelle im Bild, von oben (0) nach unten (100)."),
    )
    content_hash = models.CharField(
        _("Prüfsumme (SHA-256)"), max_length=64, blank=True, editable=False, db_index=True
    )
    file_size = models.PositiveBigIntegerField(_("Dateigröße (Bytes)"), default=0, editable=False)
    embedded_metadata = models.JSONField(
        _("Angaben aus der Originaldatei"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("IPTC-, XMP- und EXIF-Angaben, die beim Hochladen gelesen wurden (vor dem Entfernen)."),
    )
    original_filename = models.CharField(
        _("Ursprünglicher Dateiname"), max_length=255, blank=True, editable=False
    )
    uploaded_by = staff_member_field(_("Hochgeladen von"))
    created_at = models.DateTimeField(_("Hochgeladen am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")
        constraints = [
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt_text=""),
                name="cityhall_image_alt_or_decorative",
                violation_error_message=_(
                    "Bitte einen Alternativtext angeben oder das Bild als rein dekorativ markieren."
                ),
            ),
            models.CheckConstraint(
                condition=Q(focal_x__lte=100, focal_y__lte=100),
                name="cityhall_image_focal_point_in_picture",
                violation_error_message=_("Der Bildmittelpunkt wird in Prozent angegeben (0 bis 100)."),
            ),
        ]

    def __str__(self):
        return self.title or self.caption[:80] or self.original_filename or f"Bild {self.pk}"

    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored", {})
        update_fields = kwargs.get("update_fields")
        file_changed = bool(self.file) and (
            not self.file._committed or self.file.name != stored.get("file") or not self.content_hash
        )
        if file_changed and (update_fields is None or "file" in update_fields):
            self.content_hash, self.file_size = file_digest(self.file)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "content_hash", "file_size"}
        focus_changed = (self.focal_x, self.focal_y) != (stored.get("focal_x"), stored.get("focal_y"))
        super().save(*args, **kwargs)
        if stored and (file_changed or focus_changed):
            # Crops and sizes of the old file or focal point; their files go with them (signals).
            self.renditions.all().delete()
        self._stored = {"file": self.file.name, "focal_x": self.focal_x, "focal_y": self.focal_y}

    def delete(self, *args, **kwargs):
        # The file and the renditions' files are removed once the rows are gone (cityhall.library.apps).
        try:
            return super().delete(*args, **kwargs)
        except ProtectedError as exc:
            used_in = sorted({str(obj) for obj in exc.protected_objects})
            raise ProtectedError(
                _("Das Bild wird noch verwendet und kann nicht gelöscht werden: %(where)s")
                % {"where": "; ".join(used_in)},
                exc.protected_objects,
            ) from exc

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What is stored, to notice a new file or focal point on save (deferred fields stay unknown).
        instance._stored = {name: instance.__dict__.get(name) for name in ("file", "focal_x", "focal_y")}
        return instance

    @property
    def rights_valid(self):
        """The rights allow showing the image today: no expiry date, or not passed yet. Only the rights
        half of "may be shown publicly"; the whole rule is ``press.visibility.may_show``."""
        return self.rights_expire_on is None or self.rights_expire_on >= timezone.localdate()

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1].lower() if self.file else ""


def file_digest(fieldfile):
    """(sha256 hex digest, size in bytes) of a FieldFile, stored or about to be; ("", 0) if missing."""
    digest, size = hashlib.sha256(), 0
    committed = fieldfile._committed
    try:
        fieldfile.open("rb")
        for chunk in fieldfile.chunks():
            digest.update(chunk)
            size += len(chunk)
    except (OSError, ValueError):
        return "", 0
    finally:
        if committed:
            fieldfile.close()
        else:
            fieldfile.seek(0)  # still to be written by FileField.pre_save
    return digest.hexdigest(), size


def rendition_upload_to(instance, filename):
    # The file name is generated by cityhall.library.renditions; only the date folder is added here.
    return timezone.now().strftime("renditions/%Y/%m/") + filename


class Rendition(models.Model):
    """One size, crop and format of a library image, made once (cityhall.library.renditions) and stored.
    Like the stored original it carries no metadata and has a generated name."""

    image = models.ForeignKey(
        Image, on_delete=models.CASCADE, related_name="renditions", verbose_name=_("Bild")
    )
    spec = models.CharField(_("Fassung"), max_length=32, help_text=_("z. B. „w800“, „t480“, „social“."))
    format = models.CharField(_("Format"), max_length=8)
    version = models.CharField(_("Stand"), max_length=16)
    file = models.FileField(_("Datei"), upload_to=rendition_upload_to, max_length=200)
    width = models.PositiveIntegerField(_("Breite"))
    height = models.PositiveIntegerField(_("Höhe"))
    created_at = models.DateTimeField(_("Erzeugt am"), auto_now_add=True)

    class Meta:
        ordering = ["image", "spec", "format"]
        verbose_name = _("Bildfassung")
        verbose_name_plural = _("Bildfassungen")
        constraints = [
            models.UniqueConstraint(fields=["image", "spec", "format"], name="cityhall_rendition_unique"),
        ]

    def __str__(self):
        return f"{self.image_id}/{self.spec}.{self.format} ({self.width} × {self.height})"


def delete_stored_file(sender, instance, **kwargs):
    """post_delete of Image and Rendition: remove the file once the row is really gone."""
    name = instance.file.name if instance.file else ""
    if name:
        storage = instance.file.storage
        transaction.on_commit(lambda: storage.delete(name), using=kwargs.get("using"))


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
