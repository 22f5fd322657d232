"""Featured releases: the spokespeople pin up to three published releases to the top of the home page, each
until an end time (a storm warning's release for two days, a major project for a week)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.library.dates import validate_datetime

from .releases import PressRelease

MAX_FEATURED = 3


class FeaturedReleaseQuerySet(models.QuerySet):
    def active(self, now=None):
        """Pins in force now, on releases citizens may see, in their order."""
        now = now or timezone.now()
        return self.filter(until__gt=now, release__in=PressRelease.objects.published()).order_by(
            "position", "-pk"
        )

    def releases(self, now=None):
        """The pinned releases themselves, ready for the home page's cards."""
        pins = self.active(now)
        ids = list(pins.values_list("release_id", flat=True)[:MAX_FEATURED])
        by_id = {release.pk: release for release in PressRelease.objects.for_listing().filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


class FeaturedRelease(models.Model):
    release = models.OneToOneField(
        PressRelease,
        on_delete=models.CASCADE,
        related_name="featured",
        verbose_name=_("Pressemitteilung"),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1, help_text=_("1 steht oben."))
    until = models.DateTimeField(
        _("Hervorgehoben bis"),
        validators=[validate_datetime],
        help_text=_("Danach erscheint die Mitteilung wieder nur in der Liste."),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    objects = FeaturedReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-pk"]
        verbose_name = _("Hervorgehobene Pressemitteilung")
        verbose_name_plural = _("Hervorgehobene Pressemitteilungen")

    def __str__(self):
        return str(self.release)

    def clean(self):
        if self.until and self.until <= timezone.now() and self._state.adding:
            raise ValidationError({"until": _("Das Ende muss in der Zukunft liegen.")})
        if self.release_id and not PressRelease.objects.published().filter(pk=self.release_id).exists():
            raise ValidationError(
                {"release": _("Nur veröffentlichte Pressemitteilungen können hervorgehoben werden.")}
            )
        others = FeaturedRelease.objects.active().exclude(pk=self.pk)
        if self.until and self.until > timezone.now() and others.count() >= MAX_FEATURED:
            raise ValidationError(
                _("Es sind schon %(count)s Mitteilungen hervorgehoben; beenden Sie zuerst eine.")
                % {"count": MAX_FEATURED}
            )
