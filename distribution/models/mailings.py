"""Mailings and their deliveries: one row per recipient and mailing, with its state, so that every
recipient gets a mailing exactly once, also when a worker dies mid-run (distribution/sending.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .subscribers import Subscriber


class MailingQuerySet(models.QuerySet):
    def with_counts(self):
        states = Delivery.State
        return self.annotate(
            **{
                f"count_{state.value}": Count("deliveries", filter=Q(deliveries__state=state.value))
                for state in states
            }
        )


class Mailing(models.Model):
    """One sending: a release at publication, a pre-send under embargo, a correction or withdrawal to
    those who got it, or a digest. Its text is rendered once (``subject``, ``text``, ``html``; a
    digest's releases in ``parts``); each recipient's mail only adds the personal links."""

    class Kind(models.TextChoices):
        RELEASE = "release", _("Veröffentlichung")
        EMBARGO = "embargo", _("Vorab unter Sperrfrist")
        CORRECTION = "correction", _("Korrektur")
        WITHDRAWAL = "withdrawal", _("Rückzug")
        DAILY = "daily", _("Tägliche Zusammenfassung")
        WEEKLY = "weekly", _("Wöchentliche Zusammenfassung")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Geplant")
        SENDING = "sending", _("Wird versandt")
        DONE = "done", _("Versandt")
        CANCELLED = "cancelled", _("Abgesagt")

    DIGESTS = (Kind.DAILY, Kind.WEEKLY)

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.SCHEDULED)
    release = models.ForeignKey(
        "press.PressRelease",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Pressemitteilung"),
    )
    correction = models.ForeignKey(
        "press.Correction", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    preview_link = models.ForeignKey(
        "press.PreviewLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    releases = models.ManyToManyField("press.PressRelease", related_name="+", blank=True)
    scheduled_for = models.DateTimeField(_("Versand ab"), null=True, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(_("Betreff"), max_length=400, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    parts = models.JSONField(default=dict, blank=True)
    wake_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("Versand begonnen"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Versand beendet"), null=True, blank=True)

    objects = MailingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Versand")
        verbose_name_plural = _("Versände")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "kind"],
                condition=Q(kind__in=["release", "embargo", "withdrawal"]),
                name="distribution_one_mailing_per_release_and_kind",
            ),
            models.UniqueConstraint(
                fields=["correction"],
                condition=Q(kind="correction"),
                name="distribution_one_mailing_per_correction",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_end"],
                condition=Q(kind__in=["daily", "weekly"]),
                name="distribution_one_digest_per_period",
            ),
        ]

    def __str__(self):
        label = self.get_kind_display()
        if self.release_id:
            return f"{label}: {self.release.title}"
        if self.period_end:
            return f"{label} bis {timezone.localtime(self.period_end):%d.%m.%Y %H:%M}"
        return label

    @property
    def is_digest(self):
        return self.kind in self.DIGESTS


class Delivery(models.Model):
    """One recipient of one mailing. ``sending`` rows carry a lease: a worker that dies leaves them,
    and once the lease is over another worker takes them again."""

    class State(models.TextChoices):
        QUEUED = "queued", _("In der Warteschlange")
        SENDING = "sending", _("Wird gesendet")
        SENT = "sent", _("Angenommen")
        FAILED = "failed", _("Fehlgeschlagen")
        CANCELLED = "cancelled", _("Nicht gesendet")

    OPEN = (State.QUEUED, State.SENDING)

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    email = models.EmailField(_("Adresse"), blank=True)
    release_ids = models.JSONField(default=list, blank=True)
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, editable=False)  # which send task holds the lease
    sent_at = models.DateTimeField(_("Angenommen am"), null=True, blank=True)
    error = models.TextField(_("Grund"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="distribution_one_delivery_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["mailing", "state", "next_attempt_at"], name="distribution_delivery_due")
        ]

    def __str__(self):
        return f"{self.email or '–'}: {self.get_state_display()}"
