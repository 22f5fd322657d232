"""Admin for officials, press contacts, licences and the image library."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote
from django.db import models, router
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cityhall.library import renditions
from cityhall.library.forms import ImageForm
from cityhall.library.models import (
    AccessibilityFeedback,
    Contact,
    EasyLanguagePage,
    Image,
    License,
    Office,
    Person,
)

THUMBNAIL_BOX = (80, 60)

admin.site.site_header = f"{settings.PRESS_OFFICE_NAME} · {settings.CITY_NAME}"
admin.site.site_title = _("Pressestelle")
admin.site.index_title = _("Redaktion")


def _block_parent(obj):
    """The page a content-editor block belongs to, or None for anything else."""
    if all(hasattr(obj, attr) for attr in ("parent", "region", "ordering")):
        return obj.parent
    return None


def usages(model, objs):
    """Where ``objs`` (of ``model``) are still used, so that they cannot be deleted:
    ``(label, owner)`` pairs such as ("Zitat in Pressemitteilung", <the release>).

    Found through the PROTECT relations pointing at ``model``, the same way the
    admin's delete page finds them; this app knows nothing of the apps using it
    (``tests/test_layers.py``). A content-editor block is reported as the page it
    belongs to."""
    collector = NestedObjects(using=router.db_for_write(model))
    collector.collect(objs)
    found = {}
    for obj in collector.protected:
        owner = _block_parent(obj)
        if owner is not None:
            part = obj._meta.verbose_name
        else:
            owner = obj
            part = next(
                (
                    field.verbose_name
                    for field in type(obj)._meta.concrete_fields
                    if field.many_to_one and field.related_model is model
                ),
                None,
            )
        label = (
            _("%(part)s in %(owner)s") % {"part": capfirst(part), "owner": owner._meta.verbose_name}
            if part
            else capfirst(owner._meta.verbose_name)
        )
        found[(str(label), owner._meta.label, owner.pk)] = (label, owner)
    return sorted(found.values(), key=lambda item: (str(item[1]).casefold(), str(item[0])))


def admin_link(admin_site, obj):
    """A link to ``obj``'s admin change page, or its name if it has none."""
    opts = obj._meta
    if not admin_site.is_registered(type(obj)):
        return str(obj)
    try:
        url = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    except NoReverseMatch:
        return str(obj)
    return format_html('<a href="{}">{}</a>', url, obj)


class InUseProtectionMixin:
    """Objects still used elsewhere are protected (on_delete=PROTECT), so the admin
    refuses to delete them. This makes the refusal plain: an error message naming
    where they are used, and the protected list linking to the releases rather than
    listing blocks that have no admin page of their own. Works for the delete page and
    for the "delete selected" action, which both ask ``get_deleted_objects``. The change
    form shows the same list (``used_in``)."""

    in_use_message = _("Kann nicht gelöscht werden, solange es noch verwendet wird in: %(where)s")

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        found = usages(self.model, objs) if protected else []
        if found:
            protected = [
                format_html("{}: {}", label, admin_link(self.admin_site, owner)) for label, owner in found
            ]
            names = sorted({str(owner) for _label, owner in found}, key=str.casefold)
            self.message_user(
                request,
                self.in_use_message % {"where": ", ".join(f"„{name}“" for name in names)},
                level=messages.ERROR,
            )
        return deleted, model_count, perms_needed, protected

    @admin.display(description=_("Verwendet in"))
    def used_in(self, obj):
        if obj.pk is None:
            return None
        found = usages(self.model, [obj])
        if not found:
            return None
        return format_html(
            '<ul class="used-in">{}</ul>',
            format_html_join(
                "", "<li>{}: {}</li>", ((label, admin_link(self.admin_site, owner)) for label, owner in found)
            ),
        )


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0
    fields = ["role", "organisation", "start", "end"]


@admin.register(Person)
class PersonAdmin(InUseProtectionMixin, admin.ModelAdmin):
    list_display = ["name", "honorific", "current_office", "note"]
    list_display_links = ["name"]
    search_fields = ["name", "honorific"]
    fields = ["honorific", "name", "note", "used_in"]
    readonly_fields = ["used_in"]
    inlines = [OfficeInline]
    in_use_message = _(
        "Personen, die noch zitiert werden, können nicht gelöscht werden. Zitiert in: %(where)s"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_offices()

    @admin.display(description=_("Aktuelles Amt"))
    def current_office(self, obj):
        office = obj.office_on()
        return str(office) if office else None


@admin.register(Contact)
class ContactAdmin(InUseProtectionMixin, admin.ModelAdmin):
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role", "email"]
    fields = ["name", "role", "email", "phone", "used_in"]
    readonly_fields = ["used_in"]
    in_use_message = _(
        "Pressekontakte, die noch in Pressemitteilungen stehen, können nicht gelöscht werden. "
        "Genannt in: %(where)s"
    )


@admin.register(License)
class LicenseAdmin(InUseProtectionMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # "creativecommons.org/…" means https
    list_display = ["name", "url"]
    search_fields = ["name"]
    in_use_message = _(
        "Lizenzen, die noch für Bilder gelten, können nicht gelöscht werden. Verwendet bei: %(where)s"
    )


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
class ImageAdmin(InUseProtectionMixin, admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        if not change or "file" in form.changed_data or obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        obj.prefilled = [str(form.fields[name].label) for name in form.prefilled]

    def response_add(self, request, obj, post_url_continue=None):
        return self._check_prefilled(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._check_prefilled(request, obj) or super().response_change(request, obj)

    def _check_prefilled(self, request, obj):
        """After an upload that filled empty fields from the file: back to the form, to check them."""
        prefilled = getattr(obj, "prefilled", None)
        if not prefilled:
            return None
        self.message_user(
            request, self.prefilled_message % {"fields": ", ".join(prefilled)}, level=messages.WARNING
        )
        url = reverse(f"{self.admin_site.name}:cityhall_image_change", args=[quote(obj.pk)])
        return HttpResponseRedirect(url)

    @staticmethod
    def _scaled(width, height, box):
        if not width or not height:
            return box
        scale = min(box[0] / width, box[1] / height, 1)
        return max(1, round(width * scale)), max(1, round(height * scale))

    def _img(self, obj, box, spec=None):
        """A rendition (served to editors even when not public), scaled into ``box``."""
        if not obj.file or not obj.width:
            return None
        if spec is None:  # the smallest whole picture at least as wide as the box
            widths = renditions.widths_for(obj)
            spec = f"w{next((w for w in widths if w >= box[0]), widths[-1])}"
        _crop, width, height = renditions.geometry(obj, spec)
        width, height = self._scaled(width, height, box)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" loading="lazy" style="object-fit: contain">',
            renditions.url(obj, spec, renditions.fallback_format(obj)),
            width,
            height,
        )

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, obj):
        return self._img(obj, THUMBNAIL_BOX)

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
        labels = {
            "caption": _("Bildbeschreibung"),
            "headline": _("Überschrift"),
            "title": _("Titel"),
            "credit": _("Bildnachweis (Credit)"),
            "copyright_notice": _("Copyright-Vermerk"),
            "photographer": _("Fotograf/in"),
            "taken_on": _("Aufnahmedatum"),
            "usage_terms": _("Nutzungsbedingungen"),
        }
        found = [(labels.get(key, key), value) for key, value in (obj.embedded_metadata or {}).items()]
        if not found:
            return None
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", found))


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    """Messages from the feedback form on the accessibility statement, newest first."""

    list_display = ["created_at", "short_message", "page_url", "email", "handled"]
    list_filter = ["handled"]
    list_editable = ["handled"]
    search_fields = ["message", "page_url", "name", "email"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        # A received message stays as it was sent; staff may add one taken by phone.
        return ["created_at", "message", "page_url", "name", "email"] if obj else ["created_at"]

    @admin.display(description=_("Nachricht"))
    def short_message(self, obj):
        return obj.message[:80] + ("…" if len(obj.message) > 80 else "")


@admin.register(EasyLanguagePage)
class EasyLanguagePageAdmin(admin.ModelAdmin):
    list_display = ["title", "show_on_home", "position", "updated_at"]
    list_editable = ["show_on_home", "position"]
    search_fields = ["title"]


# The redirects' admin (list and CSV import) lives in its own module.
from cityhall.library import redirect_admin  # noqa: E402, F401
