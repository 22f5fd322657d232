"""What is kept beside a release: its search text, public corrections, preview links, the audit log
and the tags of each revision."""

import reversion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision

from cityhall.library.dates import validate_datetime
from cityhall.library.models import staff_member_field

from .blocks import BLOCK_MODELS
from .releases import PressRelease, ReleaseState


class SearchEntry(models.Model):
    """A release's text as search reads it; written by ``press.search`` whenever the release, a block, a tag
    or a partnership changes. ``vector`` (weighted tsvector, German) is filled on PostgreSQL only."""

    release = models.OneToOneField(
        PressRelease, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    text = models.TextField(_("Suchtext"), blank=True)
    folded = models.TextField(_("Suchtext (Kleinschreibung)"), blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("Sucheintrag")
        verbose_name_plural = _("Sucheinträge")
        # Created on PostgreSQL only (migration 0002); other databases search ``folded``.
        indexes = [
            GinIndex(fields=["vector"], name="press_search_vector_gin"),
            GinIndex(fields=["folded"], name="press_search_folded_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return str(self.release_id)


class RenderedBody(models.Model):
    """A release's body as ``press.rendering`` rendered it, kept so that pages and feeds assemble it
    instead of rendering every block again: ``parts`` in block order, ``{"kind", "pk", "html"}`` for
    text, quotes and background boxes (the same on every surface), ``{"kind", "pk"}`` for image blocks
    (rendered per request: whether an image may be shown changes with time and surface).
    ``parts`` is None until rendered and whenever what it shows changed; ``revision`` counts those
    changes, so a rendering of what was read before a change is never stored after it."""

    release = models.OneToOneField(
        PressRelease, on_delete=models.CASCADE, primary_key=True, related_name="rendered_body"
    )
    parts = models.JSONField(null=True, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Gerenderter Text")
        verbose_name_plural = _("Gerenderte Texte")

    def __str__(self):
        return str(self.release_id)


class Correction(models.Model):
    """A dated public correction note under a published release ("Korrektur vom …")."""

    release = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("Pressemitteilung")
    )
    noted_at = models.DateTimeField(
        _("Korrigiert am"),
        default=timezone.now,
        help_text=_("Datum und Uhrzeit der Korrektur (Europe/Berlin); steht öffentlich über dem Hinweis."),
        validators=[validate_datetime],
    )
    text = models.TextField(
        _("Korrekturhinweis"),
        help_text=_("Was korrigiert wurde, z. B. „In einer früheren Fassung stand ein falsches Datum.“"),
    )
    created_by = staff_member_field(_("Eingetragen von"))

    class Meta:
        ordering = ["noted_at", "pk"]
        verbose_name = _("Korrektur")
        verbose_name_plural = _("Korrekturen")

    def __str__(self):
        return _("Korrektur vom %(date)s") % {
            "date": timezone.localtime(self.noted_at).strftime("%d.%m.%Y %H:%M")
        }


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class PreviewLink(models.Model):
    """A link to a release before it is public, for people without an admin account: journalists
    under embargo (Sperrfrist) or the mayor's office for sign-off. The URL carries a signed token
    (press/previews.py); this row makes it expire and lets the press office revoke it."""

    class Purpose(models.TextChoices):
        EMBARGO = "embargo", _("Sperrfrist (Presse)")
        SIGNOFF = "signoff", _("Abstimmung (z. B. Büro des Oberbürgermeisters)")

    release = models.ForeignKey(
        PressRelease,
        on_delete=models.CASCADE,
        related_name="preview_links",
        verbose_name=_("Pressemitteilung"),
    )
    purpose = models.CharField(_("Zweck"), max_length=20, choices=Purpose.choices, default=Purpose.EMBARGO)
    recipient = models.CharField(
        _("Empfänger"),
        max_length=200,
        help_text=_(
            "Wer den Link bekommt, z. B. „dpa, Landesdienst NRW“ oder „Büro des Oberbürgermeisters“."
        ),
    )
    key = models.CharField(max_length=32, editable=False, unique=True)
    expires_at = models.DateTimeField(
        _("Gültig bis"),
        help_text=_("Danach zeigt der Link nichts mehr (Europe/Berlin)."),
        validators=[validate_datetime],
    )
    created_by = staff_member_field(_("Angelegt von"))
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True, editable=False)
    revoked_by = staff_member_field(_("Widerrufen von"))
    last_used_at = models.DateTimeField(_("Zuletzt geöffnet"), null=True, blank=True, editable=False)
    use_count = models.PositiveIntegerField(_("Aufrufe"), default=0, editable=False)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Vorschau-Link")
        verbose_name_plural = _("Vorschau-Links")

    def __str__(self):
        return _("Vorschau für %(recipient)s") % {"recipient": self.recipient}

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at is not None and self.expires_at > timezone.now()


class AuditEntry(models.Model):
    """Who moved a release through the workflow, and when. Written by press/workflow.py only."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Zur Prüfung eingereicht")
        APPROVED = "approved", ReleaseState.APPROVED.label
        RETURNED = "returned", _("Zurück an die Redaktion")
        BACK_TO_REVIEW = "back_to_review", _("Nach Änderung erneut in Prüfung")
        PUBLISHED = "published", ReleaseState.PUBLISHED.label
        SCHEDULED = "scheduled", ReleaseState.SCHEDULED.label
        UNSCHEDULED = "unscheduled", _("Planung aufgehoben")
        RESCHEDULED = "rescheduled", _("Zeitpunkt geändert")
        WITHDRAWN = "withdrawn", ReleaseState.WITHDRAWN.label
        EDITED_LIVE = "edited_live", _("Nach Veröffentlichung geändert")
        CORRECTED = "corrected", _("Korrektur veröffentlicht")
        RESTORED = "restored", _("Frühere Fassung wiederhergestellt")
        IMPORTED = "imported", _("Importiert")
        PREVIEW_CREATED = "preview_created", _("Vorschau-Link angelegt")
        PREVIEW_REVOKED = "preview_revoked", _("Vorschau-Link widerrufen")
        DELETED = "deleted", _("Gelöscht")
        ANONYMISED = "anonymised", _("Anonymisiert (Inhalt entfernt, Hinweis bleibt)")

    release = models.ForeignKey(
        PressRelease,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("Pressemitteilung"),
    )
    release_title = models.CharField(_("Titel der Mitteilung"), max_length=300)
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices, db_index=True)
    from_status = models.CharField(
        _("Status vorher"), max_length=20, choices=PressRelease.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("Status nachher"), max_length=20, choices=PressRelease.Status.choices, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Benutzer/in"),
    )
    user_name = models.CharField(_("Benutzername"), max_length=150, blank=True)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    note = models.TextField(_("Bemerkung"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")

    def __str__(self):
        return f"{self.get_action_display()}: {self.release_title}"


class RevisionTags(models.Model):
    """The tags of a release as they were in a revision; taggit's manager is not serialised by
    django-reversion, so press/history.py stores them next to the revision."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="press_tags")
    release_id = models.BigIntegerField()
    names = models.JSONField(default=list)

    class Meta:
        verbose_name = _("Schlagwörter einer Fassung")
        verbose_name_plural = _("Schlagwörter von Fassungen")

    def __str__(self):
        return ", ".join(self.names)


# Every saved release is a revision together with its blocks (press/history.py).
reversion.register(
    PressRelease,
    follow=[f"press_{model._meta.model_name}_set" for model in BLOCK_MODELS],
)
for _block_model in BLOCK_MODELS:
    reversion.register(_block_model)
