"""Text normalisation shared by every app (slugs live in ``cityhall.library.slugs``)."""

import re

from django.db import models
from django.db.models.signals import pre_save

# C0 and C1 control characters except tab, line feed and carriage return, plus the non-characters XML and
# HTML forbid. Word processors paste some of them (vertical tab for a manual line break, form feed, …).
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_characters(text):
    """``text`` without control characters that XML 1.0 (feeds, sitemaps) and HTML do not allow;
    a vertical tab or form feed (a manual break in a word processor) becomes a space."""
    text = str(text or "")
    return _CONTROL_CHARACTERS.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)


def strip_control_characters_on_save(app_config):
    """Text pasted from word processors may carry control characters that HTML and XML forbid (and
    PostgreSQL refuses NUL): remove them from every text field of the app's models before each save,
    so no page, feed or sitemap can be broken by them."""

    def receiver(sender, instance, raw=False, **kwargs):
        if raw:
            return
        for field in sender._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = getattr(instance, field.attname)
                if isinstance(value, str):
                    setattr(instance, field.attname, strip_control_characters(value))

    for model in app_config.get_models():
        pre_save.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"strip_control_{model._meta.label}"
        )
