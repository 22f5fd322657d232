"""Rich text: one allow-list, applied with nh3 whenever rich text is saved, together with the text
normaliser every other text field gets (``cityhall.library.text.normalise_text``)."""

import re

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_prose_editor.fields import ProseEditorField

from .text import normalise_text

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "*": {"lang"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)


def _link_targets_url():
    """The address the link dialog asks for pages by title: named from the top by the setting
    ``RICHTEXT_LINK_TARGETS_URL`` (a URL name), "" (no search, a plain link dialog) without it.
    The library does not know whose pages those are."""
    name = getattr(settings, "RICHTEXT_LINK_TARGETS_URL", "")
    try:
        return reverse(name) if name else ""
    except NoReverseMatch:
        return ""


EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {
        "enableTarget": False,
        "protocols": ["http", "https", "mailto", "tel"],
        # Read by the link dialog's page search (a module named in DJANGO_PROSE_EDITOR_EXTENSIONS).
        "linkTargetsUrl": lazy(_link_targets_url, str)(),
    },
    "History": True,
}


# A paragraph that Word's list pasted as text: "·", "•" or Word's Symbol-font bullet, then the item.
_SPACE = r"(?:\s|&nbsp;|\u00a0)"
_BULLETS = "[\u00b7\u2022\uf0b7\u25aa\u2023\u2043]"
_BULLET_PARAGRAPH = rf"<p>{_SPACE}*{_BULLETS}{_SPACE}*((?:(?!</p>).)*?){_SPACE}*</p>"
_BULLET_PARAGRAPHS = re.compile(rf"(?:{_BULLET_PARAGRAPH}\s*)+", re.DOTALL)
_ONE_BULLET_PARAGRAPH = re.compile(_BULLET_PARAGRAPH, re.DOTALL)


def _as_list(match):
    items = "".join(f"<li><p>{item}</p></li>" for item in _ONE_BULLET_PARAGRAPH.findall(match.group()))
    return f"<ul>{items}</ul>"


def word_bullets_to_list(html):
    """Consecutive paragraphs that start with a bullet character (Word's lists, pasted) become one list."""
    return _BULLET_PARAGRAPHS.sub(_as_list, html)


def sanitize_html(html):
    """Return ``html`` reduced to the allow-list (no scripts, styles, event handlers or
    ``javascript:``/``data:`` links) and normalised as all stored text is (no soft hyphens or
    zero-width spaces, LF line ends, Word's bullet paragraphs as a list).
    Empty editor output (``<p></p>``) becomes ""."""
    cleaned = normalise_text(_cleaner.clean(html or "")).strip()
    if cleaned in ("<p></p>", "<p><br></p>"):
        return ""
    return word_bullets_to_list(cleaned)


# django-prose-editor translates its menus and dialogs with the admin's JavaScript catalogue
# (``window.gettext``): served at the admin's own address, with the editor's German strings added.
editor_javascript_catalog = JavaScriptCatalog.as_view(
    packages=["django.contrib.admin", "django_prose_editor"]
)


# The most rich text one field takes, in characters, before and after sanitising: a long release
# has some 30,000. Sanitising closes every open tag, so 1 MB of "<b>" would grow sevenfold; the
# cap before keeps the sanitiser from working on it at all, the cap after from storing what it made.
RICHTEXT_MAX_LENGTH = 200_000


def _too_long(length):
    return ValidationError(
        _(
            "Der Text ist zu lang (%(length)s Zeichen mit Auszeichnungen, höchstens %(max)s). "
            "Bitte kürzen oder auf mehrere Blöcke verteilen."
        ),
        code="too_long",
        params={"length": f"{length:n}", "max": f"{RICHTEXT_MAX_LENGTH:n}"},
    )


class RichTextField(ProseEditorField):
    """A text field edited with ProseMirror in the admin and sanitised on every save,
    whichever way the value arrives (admin, import, shell, ``bulk_create``). ``full_clean()``
    refuses more than ``RICHTEXT_MAX_LENGTH`` characters, before and after sanitising."""

    normalises_itself = True  # cityhall.library.text leaves it to pre_save below

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EDITOR_EXTENSIONS)
        kwargs["sanitize"] = sanitize_html
        super().__init__(*args, **kwargs)

    def clean(self, value, instance):
        if isinstance(value, str) and len(value) > RICHTEXT_MAX_LENGTH:
            raise _too_long(len(value))
        cleaned = super().clean(value, instance)
        if len(cleaned or "") > RICHTEXT_MAX_LENGTH:
            raise _too_long(len(cleaned))
        return cleaned

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
