"""Who receives what: lists, subscribers (journalists and citizens) and the proof of their consent."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_urlsafe(18)


def address_digest(email):
    """What the consent proof keeps of an address after it left: a hash, enough to prove an earlier
    consent when the person asks, not to write to them."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class MailingListQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public=True).order_by("position", "name")

    def matching(self, release):
        """The lists a release goes to: all releases, its tags, its partnerships, the accredited press.
        Reads the release's tags and partnerships as stored (two small queries)."""
        tag_ids = list(release.tags.values_list("pk", flat=True))
        partnership_ids = list(release.partnerships.values_list("pk", flat=True))
        Kind = MailingList.Kind
        return self.filter(
            Q(kind__in=[Kind.ALL, Kind.ACCREDITED])
            | Q(kind=Kind.TAG, tag__in=tag_ids)
            | Q(kind=Kind.PARTNERSHIP, partnership__in=partnership_ids)
        )


class MailingList(models.Model):
    class Kind(models.TextChoices):
        ALL = "all", _("Alle Pressemitteilungen")
        TAG = "tag", _("Schlagwort")
        PARTNERSHIP = "partnership", _("Städtepartnerschaft")
        ACCREDITED = "accredited", _("Akkreditierte Presse (auch unter Sperrfrist)")

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kürzel"), unique=True, help_text=_("Für den CSV-Import, z. B. „alle“."))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.ALL)
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("Schlagwort")
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Städtepartnerschaft"),
    )
    public = models.BooleanField(
        _("Öffentlich wählbar"),
        default=True,
        help_text=_(
            "Auf der Anmeldeseite angeboten. Die akkreditierte Presse pflegt die Pressestelle selbst."
        ),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    objects = MailingListQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Verteilerliste")
        verbose_name_plural = _("Verteilerlisten")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="tag") & Q(tag__isnull=False)) | (~Q(kind="tag") & Q(tag__isnull=True)),
                name="distribution_list_tag_iff_tag_kind",
                violation_error_message=_("Eine Schlagwort-Liste braucht genau ein Schlagwort."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="partnership") & Q(partnership__isnull=False))
                | (~Q(kind="partnership") & Q(partnership__isnull=True)),
                name="distribution_list_partnership_iff_kind",
                violation_error_message=_(
                    "Eine Partnerschafts-Liste braucht genau eine Städtepartnerschaft."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="accredited") | Q(public=False),
                name="distribution_accredited_list_not_public",
                violation_error_message=_(
                    "Die Liste der akkreditierten Presse ist nicht öffentlich wählbar."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Sofort bei Veröffentlichung")
    DAILY = "daily", _("Einmal täglich (Zusammenfassung)")
    WEEKLY = "weekly", _("Einmal wöchentlich (Zusammenfassung)")


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Confirmed and not paused: who may be sent mail now."""
        return self.filter(state=Subscriber.State.CONFIRMED)

    def on_lists(self, lists):
        """Subscribers of any of ``lists``; the accredited list counts only for accredited journalists."""
        lists = list(lists)
        accredited = [item.pk for item in lists if item.kind == MailingList.Kind.ACCREDITED]
        others = [item.pk for item in lists if item.kind != MailingList.Kind.ACCREDITED]
        return self.filter(
            Q(lists__in=others) | Q(lists__in=accredited, accredited_at__isnull=False)
        ).distinct()


class Subscriber(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Zu bestätigen")
        CONFIRMED = "confirmed", _("Bestätigt")
        PAUSED = "paused", _("Pausiert (Zustellung wiederholt abgelehnt)")

    Frequency = Frequency

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    outlet = models.CharField(
        _("Medium"), max_length=200, blank=True, help_text=_("Redaktion, Sender, Verlag")
    )
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    lists = models.ManyToManyField(
        MailingList, related_name="subscribers", blank=True, verbose_name=_("Listen")
    )
    frequency = models.CharField(
        _("Häufigkeit"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.PENDING)
    accredited_at = models.DateTimeField(
        _("Akkreditiert am"),
        null=True,
        blank=True,
        help_text=_(
            "Von der Pressestelle bestätigte Journalistinnen und Journalisten erhalten Mitteilungen vorab unter Sperrfrist."
        ),
    )
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True, editable=False)
    refusals = models.PositiveSmallIntegerField(
        _("Abgelehnte Zustellungen"),
        default=0,
        editable=False,
        help_text=_("Dauerhafte Ablehnungen (5xx) in Folge."),
    )
    failing_since = models.DateTimeField(_("Fehlerhaft seit"), null=True, blank=True, editable=False)
    last_refusal = models.TextField(_("Letzte Ablehnung"), blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("Empfänger/in")
        verbose_name_plural = _("Empfänger/innen")
        indexes = [models.Index(fields=["state", "frequency"], name="distribution_subscriber_recv")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def accredited(self):
        return self.accredited_at is not None

    def leave(self, now=None):
        """Delete the address; the consent proof keeps only the address's hash until its retention
        period ends (DISTRIBUTION_CONSENT_RETENTION_DAYS). Mails still queued for it are cancelled."""
        from .mailings import Delivery

        now = now or timezone.now()
        keep_until = now + timedelta(days=settings.DISTRIBUTION_CONSENT_RETENTION_DAYS)
        self.consents.update(withdrawn_at=now, keep_until=keep_until, subscriber=None)
        Delivery.objects.filter(subscriber=self, state__in=Delivery.OPEN).update(
            state=Delivery.State.CANCELLED, error=str(_("Abgemeldet"))
        )
        Delivery.objects.filter(subscriber=self).update(email="")
        self.delete()


class Consent(models.Model):
    """Proof of consent (DSGVO Art. 7): when, to what, in which wording, how. Kept after the address
    left, without it (only its hash), until ``keep_until``."""

    class Method(models.TextChoices):
        DOUBLE_OPT_IN = "double_opt_in", _("Anmeldung auf der Website mit Bestätigungslink")
        IMPORT_CONFIRMED = "import_confirmed", _("Import mit dokumentierter Einwilligung")
        IMPORT_DOUBLE_OPT_IN = "import_double_opt_in", _("Import, bestätigt über Bestätigungslink")
        ACCREDITATION = "accreditation", _("Akkreditierung durch die Pressestelle")
        MANAGE_PAGE = "manage_page", _("Änderung über den persönlichen Link")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )
    address_hash = models.CharField(_("Adresse (SHA-256)"), max_length=64, db_index=True)
    method = models.CharField(_("Wie"), max_length=30, choices=Method.choices)
    wording_version = models.CharField(_("Fassung des Einwilligungstexts"), max_length=20)
    wording = models.TextField(_("Einwilligungstext"))
    lists = models.TextField(_("Listen"), help_text=_("Wozu eingewilligt wurde."))
    list_ids = models.JSONField(default=list, blank=True, editable=False)
    frequency = models.CharField(_("Häufigkeit"), max_length=20, choices=Frequency.choices)
    source = models.TextField(
        _("Herkunft"), blank=True, help_text=_("Beim Import: woher die Einwilligung stammt.")
    )
    requested_at = models.DateTimeField(_("Angefragt am"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)
    keep_until = models.DateTimeField(_("Aufbewahren bis"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("Einwilligungsnachweis")
        verbose_name_plural = _("Einwilligungsnachweise")

    def __str__(self):
        return f"{self.get_method_display()} ({self.wording_version})"

    hash_of = staticmethod(address_digest)
