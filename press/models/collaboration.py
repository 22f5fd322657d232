"""Working with each other on a release: internal comments, correction suggestions for the
spokespeople, and each person's choice of which mails they want (press/notifications.py)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.library.models import staff_member_field

from .releases import PressRelease


class Comment(models.Model):
    """An internal note on a release (never public): who wrote what, and when."""

    release = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="comments", verbose_name=_("Pressemitteilung")
    )
    text = models.TextField(_("Kommentar"), help_text=_("Nur intern sichtbar, nie auf der Website."))
    author = staff_member_field(_("Geschrieben von"))
    author_name = models.CharField(_("Geschrieben von"), max_length=150, blank=True, editable=False)
    created_at = models.DateTimeField(_("Geschrieben am"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Interner Kommentar")
        verbose_name_plural = _("Interne Kommentare")

    def __str__(self):
        return self.text[:60]


class CorrectionSuggestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done=False)


class CorrectionSuggestion(models.Model):
    """A note to the spokespeople that a published release needs a correction, from someone who may
    not change it; a spokesperson answers it and marks it as done."""

    release = models.ForeignKey(
        PressRelease,
        on_delete=models.CASCADE,
        related_name="correction_suggestions",
        verbose_name=_("Pressemitteilung"),
    )
    text = models.TextField(
        _("Was ist zu korrigieren?"),
        help_text=_("Zum Beispiel: „Im zweiten Absatz steht 2025, richtig ist 2026.“"),
    )
    suggested_by = staff_member_field(_("Angeregt von"))
    suggested_by_name = models.CharField(_("Angeregt von"), max_length=150, blank=True, editable=False)
    suggested_at = models.DateTimeField(_("Angeregt am"), default=timezone.now, editable=False)
    answer = models.TextField(
        _("Antwort"), blank=True, help_text=_("Was daraus wurde; die Person, die angeregt hat, liest es.")
    )
    done = models.BooleanField(_("Erledigt"), default=False)
    done_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True, editable=False)
    done_by = staff_member_field(_("Erledigt von"))

    objects = CorrectionSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-suggested_at", "-pk"]
        verbose_name = _("Korrekturvorschlag")
        verbose_name_plural = _("Korrekturvorschläge")

    def __str__(self):
        return _("Korrekturvorschlag zu „%(title)s“") % {"title": self.release.title[:80]}


class NotificationKind(models.TextChoices):
    """The mails the press office sends; each person may turn any of them off."""

    SUBMITTED = "submitted", _("Eine Mitteilung wurde zur Prüfung eingereicht (an die Pressesprecher/innen)")
    RETURNED = "returned", _("Meine Mitteilung kam zurück an die Redaktion")
    APPROVED = "approved", _("Meine Mitteilung wurde freigegeben")
    PUBLISHED = "published", _("Meine Mitteilung wurde veröffentlicht oder geplant")
    CORRECTION_SUGGESTED = (
        "correction_suggested",
        _("Eine Korrektur wurde angeregt (an die Pressesprecher/innen)"),
    )
    SUGGESTION_ANSWERED = "suggestion_answered", _("Mein Korrekturvorschlag wurde beantwortet")


class NotificationPreference(models.Model):
    """Which mails one person does not want. Without a row, every mail is wanted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="press_notification_preference",
        verbose_name=_("Benutzer/in"),
    )
    muted = models.JSONField(_("Abbestellt"), default=list, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigungen")
        verbose_name_plural = _("Meine Benachrichtigungen")

    def __str__(self):
        return str(self.user)

    def clean(self):
        unknown = sorted(set(self.muted) - set(NotificationKind.values))
        if unknown:
            raise ValidationError({"muted": _("Unbekannte Benachrichtigung: %(kinds)s") % {"kinds": unknown}})

    @classmethod
    def wants(cls, user, kind):
        row = cls.objects.filter(user=user).first()
        return row is None or kind not in row.muted
