"""Press appointments (Pressetermine): an invitation to a photo call or a press conference, with its place,
who attends and how to be accredited; public once the office ticks "Veröffentlicht", with an .ics file each."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.library.dates import validate_datetime
from cityhall.library.slugs import unique_slug, validate_slug

from .releases import PressRelease

SLUG_MAX_LENGTH = 120


class AppointmentQuerySet(models.QuerySet):
    def public(self):
        """What citizens and journalists may see: ticked as published by the office."""
        return self.filter(published=True)

    def upcoming(self, now=None):
        """Public appointments that have not ended yet, soonest first."""
        now = now or timezone.now()
        return (
            self.public()
            .filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now))
            .order_by("starts_at")
        )

    def for_page(self):
        return self.select_related("contact", "release").prefetch_related("attendees__offices")


class Appointment(models.Model):
    class Kind(models.TextChoices):
        PRESS_CONFERENCE = "pressekonferenz", _("Pressekonferenz")
        PHOTO_CALL = "fototermin", _("Fototermin")
        PRESS_APPOINTMENT = "pressetermin", _("Pressetermin")
        INTERVIEW = "interview", _("Interviewtermin")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.PRESS_APPOINTMENT)
    title = models.CharField(
        _("Titel"),
        max_length=200,
        help_text=_("z. B. „Oberbürgermeister eröffnet den Partnerschaftsgarten“."),
    )
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        validators=[validate_slug],
        help_text=_("Wird aus dem Titel erzeugt, wenn leer."),
    )
    starts_at = models.DateTimeField(_("Beginn"), validators=[validate_datetime])
    ends_at = models.DateTimeField(
        _("Ende"), null=True, blank=True, validators=[validate_datetime], help_text=_("Leer, wenn offen.")
    )
    place = models.CharField(_("Ort"), max_length=200, help_text=_("z. B. „Rathaus, Jan-Wellem-Saal“."))
    address = models.CharField(
        _("Anschrift"), max_length=300, blank=True, help_text=_("z. B. „Marktplatz 2, 40213 Düsseldorf“.")
    )
    description = models.TextField(
        _("Was geschieht"), max_length=5000, help_text=_("Ablauf und Anlass, in wenigen Sätzen.")
    )
    attendees = models.ManyToManyField(
        "cityhall.Person",
        blank=True,
        related_name="appointments",
        verbose_name=_("Es nehmen teil"),
        help_text=_("Die Funktion wird aus dem Amt am Tag des Termins genommen."),
    )
    accreditation = models.TextField(
        _("Hinweis zur Akkreditierung"),
        max_length=2000,
        blank=True,
        help_text=_("z. B. „Bitte melden Sie sich bis Dienstag, 12 Uhr, bei der Pressestelle an.“"),
    )
    contact = models.ForeignKey(
        "cityhall.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("Pressekontakt"),
    )
    release = models.ForeignKey(
        "press.PressRelease",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
        verbose_name=_("Pressemitteilung dazu"),
        help_text=_(
            "Die Mitteilung, die dem Termin folgt; sie wird verlinkt, sobald sie veröffentlicht ist."
        ),
    )
    published = models.BooleanField(
        _("Veröffentlicht"), default=False, help_text=_("Erst dann auf der Website und im Kalender.")
    )
    updated_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)
    # The UID and SEQUENCE of the calendar entry: a calendar that imported it updates it in place.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("Pressetermin")
        verbose_name_plural = _("Pressetermine")
        permissions = [("publish_appointment", _("Kann Pressetermine veröffentlichen"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="press_appointment_ends_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            )
        ]
        indexes = [models.Index(fields=["published", "starts_at"], name="press_appt_public_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Appointment.objects,
                self.title,
                max_length=SLUG_MAX_LENGTH,
                fallback="termin",
                exclude_pk=self.pk,
            )
        if self.pk:
            self.sequence += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("press:appointment", kwargs={"slug": self.slug})

    def get_ics_url(self):
        return reverse("press:appointment_ics", kwargs={"slug": self.slug})

    def attendees_with_roles(self):
        """(person, "role, organisation") for each attendee, by the office held on the day."""
        day = timezone.localdate(self.starts_at)
        result = []
        for person in self.attendees.all():
            office = person.office_on(day)
            result.append((person, str(office) if office else ""))
        return result

    def public_release(self):
        """The linked release if citizens may see it, else None (a draft never leaks by this link)."""
        if self.release_id is None:
            return None
        return PressRelease.objects.published().filter(pk=self.release_id).first()
