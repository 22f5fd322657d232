"""Old addresses keep working: permanent redirects from an old path to a new one.

A redirect answers only where the site has no page (like ``RedirectFallbackMiddleware``): a live page
always wins, and a redirect to a page that is not public (a draft, say) simply ends in its 404.
Redirects are made by hand in the admin (or imported from a CSV file) and automatically when a public
page changes its slug (``KeepOldAddress``). Chains collapse: A→B, then B→C makes A go to C.
"""

import posixpath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponsePermanentRedirect
from django.utils.translation import gettext_lazy as _

PATH_MAX_LENGTH = 500


def _check_path(value):
    parts = urlsplit(value)
    if not value.startswith("/") or value.startswith("//") or parts.scheme or parts.netloc:
        raise ValidationError(_("Bitte eine Adresse auf dieser Website angeben, die mit „/“ beginnt."))
    if any(char.isspace() for char in value):
        raise ValidationError(_("Eine Adresse darf keine Leerzeichen enthalten."))
    if posixpath.normpath(parts.path) != parts.path.rstrip("/") and parts.path != "/":
        raise ValidationError(_("Eine Adresse darf kein „..“, „./“ oder „//“ enthalten."))


class RedirectQuerySet(models.QuerySet):
    def target_for(self, request):
        """The new path for the request's address (with its query string, else without), or None."""
        full_path = request.get_full_path()
        paths = [full_path, request.path] if full_path != request.path else [request.path]
        found = dict(self.filter(old_path__in=paths).values_list("old_path", "new_path"))
        return next((found[path] for path in paths if path in found), None)


class Redirect(models.Model):
    old_path = models.CharField(
        _("Alte Adresse"),
        max_length=PATH_MAX_LENGTH,
        unique=True,
        validators=[_check_path],
        help_text=_("Der Pfad ohne Domain, z. B. „/presse/meldung.php?id=123“."),
    )
    new_path = models.CharField(
        _("Neue Adresse"),
        max_length=PATH_MAX_LENGTH,
        validators=[_check_path],
        help_text=_("Der Pfad ohne Domain, z. B. „/pressemitteilungen/neujahrsempfang/“."),
    )
    automatic = models.BooleanField(
        _("Automatisch angelegt"),
        default=False,
        editable=False,
        help_text=_("Beim Ändern des Kurznamens einer veröffentlichten Seite angelegt."),
    )
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        app_label = "cityhall"
        ordering = ["old_path"]
        verbose_name = _("Weiterleitung")
        verbose_name_plural = _("Weiterleitungen")

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def save(self, *args, **kwargs):
        # Collapse chains both ways: this one goes to the end of its chain, and those that ended
        # here go on to where this one goes; one pointing back to here would loop and is removed.
        self.new_path = self.final_path(self.new_path)
        super().save(*args, **kwargs)
        Redirect.objects.filter(new_path=self.old_path).exclude(pk=self.pk).update(new_path=self.new_path)
        Redirect.objects.filter(old_path=self.new_path).delete()
        Redirect.objects.filter(old_path=models.F("new_path")).delete()

    def clean(self):
        super().clean()
        if self.old_path and self.old_path == self.new_path:
            raise ValidationError({"new_path": _("Die neue Adresse ist dieselbe wie die alte.")})
        if self.old_path and self.new_path and self.final_path(self.new_path) == self.old_path:
            raise ValidationError(
                {"new_path": _("Diese Weiterleitung ergäbe einen Kreis: die neue Adresse führt zurück.")}
            )

    def final_path(self, path):
        """Where ``path`` ends after following the other redirects (at most a few steps)."""
        seen = {self.old_path}
        others = Redirect.objects.exclude(pk=self.pk) if self.pk else Redirect.objects.all()
        while path not in seen:
            seen.add(path)
            following = others.filter(old_path=path).values_list("new_path", flat=True).first()
            if following is None:
                break
            path = following
        return path


def moved(old_path, new_path):
    """A page moved from ``old_path`` to ``new_path``: the old address redirects, chains collapse,
    and a redirect away from the new address (the page lives there again) is dropped."""
    if old_path == new_path:
        return
    Redirect.objects.filter(old_path=new_path).delete()
    redirect = Redirect.objects.filter(old_path=old_path).first() or Redirect(old_path=old_path)
    redirect.new_path = new_path
    redirect.automatic = True
    redirect.save()


class KeepOldAddress:
    """Mixin for a model with a public page under its slug: when the slug of a row whose page was
    public changes, its old address redirects to the new one. The model names those rows in
    ``address_kept_for()`` (a queryset) and builds its address from the slug in ``get_absolute_url``."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._slug_in_db = instance.__dict__.get("slug")
        return instance

    @classmethod
    def address_kept_for(cls):
        raise NotImplementedError

    def _stored_slug(self):
        if self.pk is None or self._state.adding:
            return None
        stored = getattr(self, "_slug_in_db", None)
        if stored is None:  # not loaded from the database (a restored version) or slug deferred
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("slug", flat=True).first()
        return stored

    def save(self, *args, **kwargs):
        old_slug = self._stored_slug()
        changed = bool(old_slug) and old_slug != self.slug
        was_public = changed and type(self).address_kept_for().filter(pk=self.pk).exists()
        super().save(*args, **kwargs)
        if was_public:
            new_slug, self.slug = self.slug, old_slug
            old_path = self.get_absolute_url()
            self.slug = new_slug
            moved(old_path, self.get_absolute_url())
        self._slug_in_db = self.slug


class RedirectFallbackMiddleware:
    """Where the site answers 404, a redirect for the address answers 301 instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        new_path = Redirect.objects.target_for(request)
        return response if new_path is None else HttpResponsePermanentRedirect(new_path)
