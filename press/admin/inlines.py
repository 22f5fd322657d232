"""Inlines of the release admin: the blocks of the body, public corrections and preview links."""

from content_editor.admin import ContentEditorInline
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cityhall.library.links import absolute_url
from cityhall.library.richtext import sanitize_html
from press import previews, workflow
from press.models import BackgroundBlock, Correction, ImageBlock, PreviewLink, QuoteBlock, TextBlock

from .forms import LOCAL_DATETIME, BlockForm, PreviewLinkForm


def editable(request, obj):
    """Inlines follow the release: read-only where the user may not change it. On POST the form's
    clean() refuses with a message instead, so typed text is not thrown away."""
    return obj is None or request.method not in ("GET", "HEAD") or workflow.may_edit(request.user, obj)


class BlockInline(ContentEditorInline):
    form = BlockForm  # reads a browser's CRLF line ends as LF
    formfield_overrides = LOCAL_DATETIME

    # Read-only (a published release for Redaktion): rich text is shown as text, not as its HTML.
    def _read_only(self, request, obj):
        return obj is not None and not editable(request, obj)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self._read_only(request, obj):
            fields = ["html_readable" if name == "html" else name for name in fields]
        return list(dict.fromkeys(fields))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._read_only(request, obj) and hasattr(self.model, "html"):
            fields.append("html_readable")
        return fields

    @admin.display(description=_("Text"))
    def html_readable(self, block):
        return mark_safe(sanitize_html(block.html))  # noqa: S308 (sanitised like every save)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and editable(request, obj)


TextBlockInline = BlockInline.create(model=TextBlock, icon="notes")
QuoteBlockInline = BlockInline.create(
    model=QuoteBlock,
    icon="format_quote",
    autocomplete_fields=["speaker"],
    fields=["text", "speaker", "role", "organisation", "region", "ordering"],
)
ImageBlockInline = BlockInline.create(
    model=ImageBlock,
    icon="image",
    autocomplete_fields=["image"],
    fields=["image", "alt_text", "caption", "region", "ordering"],
)
BackgroundBlockInline = BlockInline.create(model=BackgroundBlock, icon="info")


class CorrectionInline(admin.StackedInline):
    """Dated public corrections under a published release; shown on the page and in the feeds."""

    model = Correction
    extra = 0
    fields = ["noted_at", "text", "created_by"]
    readonly_fields = ["created_by"]
    formfield_overrides = LOCAL_DATETIME
    verbose_name_plural = _("Öffentliche Korrekturen")

    def has_add_permission(self, request, obj=None):
        return (
            super().has_add_permission(request, obj) and obj is not None and workflow.accepts_corrections(obj)
        )


class PreviewLinkInline(admin.TabularInline):
    """Per release: links for journalists under embargo and for sign-off, listed and revocable."""

    model = PreviewLink
    form = PreviewLinkForm
    extra = 0
    can_delete = False  # revoked, not deleted: the list shows who got a link
    fields = ["purpose", "recipient", "expires_at", "link", "link_state", "use_count", "created_by", "revoke"]
    readonly_fields = ["link", "link_state", "use_count", "created_by"]
    formfield_overrides = LOCAL_DATETIME
    request = None

    def get_formset(self, request, obj=None, **kwargs):
        self.request = request  # inline instances are made per request
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("Link"))
    def link(self, link):
        if not link.pk:
            return _("(nach dem Speichern)")
        url = absolute_url(previews.path_for(link), self.request)
        return format_html(
            '<input type="text" readonly value="{}" size="40" aria-label="{}">', url, _("Vorschau-Link")
        )

    @admin.display(description=_("Stand"))
    def link_state(self, link):
        if not link.pk:
            return ""
        if link.revoked_at:
            return _("widerrufen am %(when)s") % {
                "when": date_format(timezone.localtime(link.revoked_at), "j.n.Y H:i")
            }
        if not link.is_active:
            return _("abgelaufen")
        return _("gültig")
