"""Officials and their offices, and the press contacts named under releases."""

from django.conf import settings
from django.db import models
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.library.dates import validate_date
from cityhall.library.shared import SharedObject


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


class PersonQuerySet(models.QuerySet):
    def with_offices(self):
        return self.prefetch_related("offices")


class Person(SharedObject, models.Model):
    """An official (or anyone else the press office quotes)."""

    # What a reader of a quote sees of the person (cityhall.library.shared).
    reader_fields = ("honorific", "name")

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
    start = models.DateField(_("Amtsbeginn"), null=True, blank=True, validators=[validate_date])
    end = models.DateField(
        _("Amtsende"),
        null=True,
        blank=True,
        help_text=_("Leer lassen, solange das Amt andauert."),
        validators=[validate_date],
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
