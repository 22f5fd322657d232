"""Text normalisation shared by every app (slugs live in ``cityhall.library.slugs``).

One normaliser, ``normalise_text``, runs on every text field of every model before it is saved
(``normalise_on_save``, connected in each app's ``ready()``; ``normalise_instance`` for the few writes that
skip ``pre_save``, such as ``bulk_create``). Rich text is normalised by its field together with the
sanitiser (``cityhall.library.richtext.sanitize_html``), after the HTML has been parsed.

What text pasted from a word processor brings along and what becomes of it:
- control characters that XML 1.0 (feeds, sitemaps) and HTML forbid, and that PostgreSQL refuses (NUL):
  removed; a vertical tab or form feed (a manual break in Word) becomes a space;
- line ends: CRLF and CR become LF (browsers submit textareas with CRLF);
- soft hyphens (U+00AD), word joiners (U+2060) and byte-order marks (U+FEFF): removed, they are invisible
  and split words for search ("Jugend\\u00adzentrum");
- zero-width spaces and non-joiners (U+200B, U+200C): removed where they are invisible, that is unless
  they stand between letters of a script that needs them (Arabic, Persian, Indic, Thai, …);
- in single-line fields (titles, names): no-break spaces become ordinary spaces.
"""

import re

from django.db import models
from django.db.models.signals import pre_save

# C0 and C1 control characters except tab, line feed and carriage return, plus the non-characters XML and
# HTML forbid. Word processors paste some of them (vertical tab for a manual line break, form feed, …).
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_ALWAYS_INVISIBLE = str.maketrans({"\u00ad": None, "\u2060": None, "\ufeff": None})
_ZERO_WIDTH = re.compile("[\u200b\u200c]")
# Scripts in which a zero-width space or non-joiner changes how a word is written or broken.
_NEEDS_ZERO_WIDTH = re.compile(
    "[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u18af\ufb1d-\ufdff\ufe70-\ufefc]"
)
_NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})


def strip_control_characters(text):
    """``text`` without control characters that XML 1.0 (feeds, sitemaps) and HTML do not allow;
    a vertical tab or form feed (a manual break in a word processor) becomes a space."""
    text = str(text or "")
    return _CONTROL_CHARACTERS.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)


def _zero_width(match):
    text, start = match.string, match.start()
    before = text[start - 1] if start else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if before and after and _NEEDS_ZERO_WIDTH.match(before) and _NEEDS_ZERO_WIDTH.match(after):
        return match.group()
    return ""


def normalise_text(text, single_line=False):
    """``text`` as it is stored: see the module's description. ``single_line`` for titles and names."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = strip_control_characters(text).translate(_ALWAYS_INVISIBLE)
    if "\u200b" in text or "\u200c" in text:
        text = _ZERO_WIDTH.sub(_zero_width, text)
    if single_line:
        text = text.translate(_NO_BREAK_SPACES)
    return text


def _text_fields(model):
    """(attname, single_line) of the model's text fields that this module normalises; rich-text fields
    (``normalises_itself``) are normalised by their own ``pre_save``, with the sanitiser."""
    return [
        (field.attname, not isinstance(field, models.TextField))
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not getattr(field, "normalises_itself", False)
    ]


def normalise_instance(instance):
    """Normalise the text fields of ``instance`` in place (for writes that skip ``pre_save``)."""
    for attname, single_line in _text_fields(type(instance)):
        value = getattr(instance, attname)
        if isinstance(value, str):
            setattr(instance, attname, normalise_text(value, single_line=single_line))


def _normalise_before_save(sender, instance, raw=False, **kwargs):
    if not raw:
        normalise_instance(instance)


def normalise_on_save(*models_to_normalise):
    """Normalise every text field of these models before each save."""
    for model in models_to_normalise:
        pre_save.connect(
            _normalise_before_save,
            sender=model,
            weak=False,
            dispatch_uid=f"normalise_text_{model._meta.label}",
        )


def normalise_app_on_save(app_config):
    """Text pasted from word processors may carry characters that break pages, feeds and search: normalise
    every text field of the app's models before each save."""
    normalise_on_save(*app_config.get_models())
