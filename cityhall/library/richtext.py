"""Rich text: one allow-list, applied with nh3 whenever rich text is saved."""

import nh3
from django_prose_editor.fields import ProseEditorField

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
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
}


def sanitize_html(html):
    """Return ``html`` reduced to the allow-list: no scripts, styles, event handlers or
    ``javascript:``/``data:`` links. Empty editor output (``<p></p>``) becomes ""."""
    cleaned = _cleaner.clean(html or "").strip()
    if cleaned in ("<p></p>", "<p><br></p>"):
        return ""
    return cleaned


class RichTextField(ProseEditorField):
    """A text field edited with ProseMirror in the admin and sanitised on every save,
    whichever way the value arrives (admin, import, shell)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EDITOR_EXTENSIONS)
        kwargs["sanitize"] = sanitize_html
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
