"""Admin of the image library: upload with what the file says about itself, rights, focal point.

An upload that filled empty fields from the file's IPTC/XMP/EXIF goes back to the form once, so the editor
checks them; inside Django's related-object popup (the "+" next to a release's lead image) that round trip
keeps the popup's parameters, and the second save hands the new image to the release form as an added one.
"""

import json
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import quote, unquote
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cityhall.library import renditions
from cityhall.library.admin import THUMBNAIL_BOX, InUseProtectionMixin
from cityhall.library.forms import METADATA_LABELS, ImageForm
from cityhall.library.image_bulk import bulk_upload_view
from cityhall.library.models import Image
from cityhall.library.shared import SharedObjectAdminMixin

# Asks the change page, in a popup, to hand this (already stored) image to the opener instead.
CHOOSE_VAR = "_waehlen"
# Marks the change form an upload in a popup was sent back to: its save answers as an "add" to the opener.
JUST_ADDED_VAR = "_neu"


class RightsFilter(admin.SimpleListFilter):
    """Images by the state of their usage rights; "abgelaufen" lists those no longer shown publicly."""

    title = _("Nutzungsrechte")
    parameter_name = "rechte"
    SOON_DAYS = 30

    def lookups(self, request, model_admin):
        return [
            ("abgelaufen", _("abgelaufen")),
            ("bald", _("laufen in 30 Tagen ab")),
            ("befristet", _("befristet, noch gültig")),
            ("unbefristet", _("unbefristet")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "abgelaufen":
            return queryset.rights_expired(today)
        if self.value() == "bald":
            return queryset.filter(
                rights_expire_on__gte=today, rights_expire_on__lte=today + timedelta(days=self.SOON_DAYS)
            )
        if self.value() == "befristet":
            return queryset.filter(rights_expire_on__gte=today)
        if self.value() == "unbefristet":
            return queryset.filter(rights_expire_on__isnull=True)
        return queryset


@admin.register(Image)
class ImageAdmin(SharedObjectAdminMixin, InUseProtectionMixin, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "label", "credit", "license", "rights", "size", "created_at"]
    list_display_links = ["thumbnail", "label"]
    list_select_related = ["license"]
    list_filter = [RightsFilter, "license", "decorative"]
    search_fields = ["title", "caption", "credit", "copyright_holder", "photographer", "alt_text"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "preview",
        "crops",
        "size",
        "original_filename",
        "metadata",
        "uploaded_by",
        "created_at",
        "updated_at",
        "used_in",
    ]
    fieldsets = [
        (None, {"fields": ["file", "preview"]}),
        (
            _("Beschreibung"),
            {"fields": ["title", "alt_text", "decorative", "caption", "photographer", "taken_on"]},
        ),
        (
            _("Rechte"),
            {"fields": ["credit", "copyright_holder", "license", "usage_terms", "rights_expire_on"]},
        ),
        (
            _("Bildausschnitt"),
            {
                "fields": ["focal_x", "focal_y", "crops"],
                "description": _(
                    "Der Bildmittelpunkt bestimmt, was in zugeschnittenen Fassungen zu sehen bleibt."
                ),
            },
        ),
        (
            _("Angaben zur Datei"),
            {
                "fields": [
                    "size",
                    "original_filename",
                    "metadata",
                    "uploaded_by",
                    "created_at",
                    "updated_at",
                    "used_in",
                ]
            },
        ),
    ]
    in_use_message = _(
        "Bilder, die noch verwendet werden, können nicht gelöscht werden. Verwendet in: %(where)s"
    )
    prefilled_message = _(
        "Aus den Angaben in der Bilddatei übernommen: %(fields)s. Bitte prüfen und bei Bedarf ändern."
    )

    class Media:
        css = {"all": ["admin/cityhall/image.css"]}
        js = ["admin/cityhall/focal-point.js"]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: bulk_upload_view(self, request))
        return [path("mehrere/", view, name="cityhall_image_bulk_upload"), *super().get_urls()]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        in_popup = IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET
        to_field = request.POST.get(TO_FIELD_VAR) or request.GET.get(TO_FIELD_VAR)

        def existing_image_url(image):
            url = reverse(f"{self.admin_site.name}:cityhall_image_change", args=[quote(image.pk)])
            if in_popup:
                url += "?" + urlencode({IS_POPUP_VAR: 1, TO_FIELD_VAR: to_field or "id", CHOOSE_VAR: 1})
            return url

        form.existing_image_url = staticmethod(existing_image_url)
        form.in_popup = in_popup
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and CHOOSE_VAR in request.GET and IS_POPUP_VAR in request.GET:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_view_or_change_permission(request, obj):
                return self._chosen_in_popup(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def _chosen_in_popup(self, request, obj):
        """An image already in the library, handed to the form that opened the popup as if just added."""
        to_field = request.GET.get(TO_FIELD_VAR)
        if to_field and not self.to_field_allowed(request, to_field):
            raise DisallowedModelAdminToField(f"The field {to_field} cannot be referenced.")
        value = obj.serializable_value(str(to_field) if to_field else obj._meta.pk.attname)
        return TemplateResponse(
            request,
            self.popup_response_template or "admin/popup_response.html",
            {"popup_response_data": json.dumps({"value": str(value), "obj": str(obj)})},
        )

    def save_model(self, request, obj, form, change):
        if not change or "file" in form.changed_data or obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)  # tells cityhall.library.shared who changed it
        obj.prefilled = [str(form.fields[name].label) for name in form.prefilled]
        obj.metadata_warnings = form.metadata_warnings()

    def response_add(self, request, obj, post_url_continue=None):
        return self._check_prefilled(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        checked = self._check_prefilled(request, obj)
        if checked:
            return checked
        if IS_POPUP_VAR in request.POST and JUST_ADDED_VAR in request.GET:
            # Checked after the upload in the popup: the release form gets the image as a new one.
            return super().response_add(request, obj)
        return super().response_change(request, obj)

    def _check_prefilled(self, request, obj):
        """After an upload that filled empty fields from the file (or whose texts disagree): back to the
        form, to check them. In a popup the popup stays one, and remembers it was opened to add."""
        prefilled = getattr(obj, "prefilled", None)
        warnings = getattr(obj, "metadata_warnings", None)
        if not prefilled and not warnings:
            return None
        if prefilled:
            self.message_user(
                request, self.prefilled_message % {"fields": ", ".join(prefilled)}, level=messages.WARNING
            )
        for warning in warnings or []:
            self.message_user(request, warning, level=messages.WARNING)
        url = reverse(f"{self.admin_site.name}:cityhall_image_change", args=[quote(obj.pk)])
        if IS_POPUP_VAR in request.POST:
            query = {IS_POPUP_VAR: 1}
            if request.POST.get(TO_FIELD_VAR):
                query[TO_FIELD_VAR] = request.POST[TO_FIELD_VAR]
            if request.resolver_match.url_name.endswith("_add") or JUST_ADDED_VAR in request.GET:
                query[JUST_ADDED_VAR] = 1
            url += "?" + urlencode(query)
        return HttpResponseRedirect(url)

    @staticmethod
    def _scaled(width, height, box):
        if not width or not height:
            return box
        scale = min(box[0] / width, box[1] / height, 1)
        return max(1, round(width * scale)), max(1, round(height * scale))

    def _img(self, obj, box, spec=None, alt=""):
        """A rendition (served to editors even when not public), scaled into ``box``; ``alt`` names it
        where it is a link's only content (the list's thumbnail)."""
        if not obj.file or not obj.width:
            return None
        if spec is None:  # the smallest whole picture at least as wide as the box
            widths = renditions.widths_for(obj)
            spec = f"w{next((w for w in widths if w >= box[0]), widths[-1])}"
        _crop, width, height = renditions.geometry(obj, spec)
        width, height = self._scaled(width, height, box)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" style="object-fit: contain">',
            renditions.url(obj, spec, renditions.fallback_format(obj)),
            width,
            height,
            alt,
        )

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, obj):
        return self._img(obj, THUMBNAIL_BOX, alt=_("Bild öffnen: %(name)s") % {"name": obj})

    @admin.display(description=_("Vorschau"))
    def preview(self, obj):
        return self._img(obj, (480, 360)) if obj.pk else None

    @admin.display(description=_("Zuschnitte"))
    def crops(self, obj):
        if not obj.pk or not obj.width:
            return None
        teaser = f"t{renditions.teaser_widths_for(obj)[0]}"
        return format_html(
            "<p>{}</p>{} {}",
            _("Vorschaubild 16:9 und Vorschau in sozialen Medien (1200 × 675), nach dem Speichern:"),
            self._img(obj, (240, 135), spec=teaser),
            self._img(obj, (240, 135), spec="social"),
        )

    @admin.display(description=_("Titel / Bildunterschrift"), ordering="title")
    def label(self, obj):
        return obj.title or (obj.caption[:80] + "…" if len(obj.caption) > 80 else obj.caption) or str(obj)

    @admin.display(description=_("Nutzungsrechte"), ordering="rights_expire_on")
    def rights(self, obj):
        if obj.rights_expire_on is None:
            return _("unbefristet")
        day = date_format(obj.rights_expire_on, "SHORT_DATE_FORMAT")
        if not obj.rights_valid:
            return format_html(
                '<strong class="errornote">{}</strong>', _("abgelaufen am %(day)s") % {"day": day}
            )
        return _("bis %(day)s") % {"day": day}

    @admin.display(description=_("Größe"))
    def size(self, obj):
        if not obj.width or not obj.height:
            return None
        return f"{obj.width} × {obj.height} px"

    @admin.display(description=_("Angaben aus der Originaldatei"))
    def metadata(self, obj):
        found = [
            (METADATA_LABELS[key], value)
            for key, value in (obj.embedded_metadata or {}).items()
            if key in METADATA_LABELS
        ]
        for key, values in (obj.embedded_metadata or {}).get("conflicts", {}).items():
            found.append(
                (_("%(label)s laut IPTC") % {"label": METADATA_LABELS.get(key, key)}, values["iptc"])
            )
        if not found:
            return None
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", found))
