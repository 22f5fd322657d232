"""City-wide things: officials and their offices, press contacts, the image library."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class ImageQuerySet(models.QuerySet):
    def search(self, term):
        return self.filter(Q(title__icontains=term) | Q(caption__icontains=term) | Q(credit__icontains=term))


def image_upload_to(instance, filename):
    # The file name is generated by cityhall.imaging; only the date folder is added here.
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
    original_filename = models.CharField(
        _("Ursprünglicher Dateiname"), max_length=255, blank=True, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("Hochgeladen von"),
    )
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
            )
        ]

    def __str__(self):
        return self.title or self.caption[:80] or self.original_filename or f"Bild {self.pk}"

    def delete(self, *args, **kwargs):
        storage, name = self.file.storage, self.file.name
        try:
            result = super().delete(*args, **kwargs)
        except ProtectedError as exc:
            used_in = sorted({str(obj) for obj in exc.protected_objects})
            raise ProtectedError(
                _("Das Bild wird noch verwendet und kann nicht gelöscht werden: %(where)s")
                % {"where": "; ".join(used_in)},
                exc.protected_objects,
            ) from exc
        if name:
            # Remove the file only once the row is really gone.
            transaction.on_commit(lambda: storage.delete(name))
        return result
