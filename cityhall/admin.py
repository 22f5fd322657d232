"""Admin for officials, press contacts, licences and the image library."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cityhall.forms import ImageForm
from cityhall.models import Contact, Image, License, Office, Person

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
    list_display = ["name", "url"]
    search_fields = ["name"]
    in_use_message = _(
        "Lizenzen, die noch für Bilder gelten, können nicht gelöscht werden. Verwendet bei: %(where)s"
    )


@admin.register(Image)
class ImageAdmin(InUseProtectionMixin, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "label", "credit", "license", "size", "created_at"]
    list_display_links = ["thumbnail", "label"]
    list_select_related = ["license"]
    list_filter = ["license", "decorative"]
    search_fields = ["title", "caption", "credit", "copyright_holder", "alt_text"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "preview",
        "size",
        "original_filename",
        "uploaded_by",
        "created_at",
        "updated_at",
        "used_in",
    ]
    fieldsets = [
        (None, {"fields": ["file", "preview"]}),
        (_("Beschreibung"), {"fields": ["title", "alt_text", "decorative", "caption"]}),
        (_("Rechte"), {"fields": ["credit", "copyright_holder", "license"]}),
        (
            _("Angaben zur Datei"),
            {"fields": ["size", "original_filename", "uploaded_by", "created_at", "updated_at", "used_in"]},
        ),
    ]
    in_use_message = _(
        "Bilder, die noch verwendet werden, können nicht gelöscht werden. Verwendet in: %(where)s"
    )

    def save_model(self, request, obj, form, change):
        if not change or "file" in form.changed_data or obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @staticmethod
    def _scaled(obj, box):
        if not obj.width or not obj.height:
            return box
        scale = min(box[0] / obj.width, box[1] / obj.height, 1)
        return max(1, round(obj.width * scale)), max(1, round(obj.height * scale))

    def _img(self, obj, box):
        if not obj.file:
            return None
        width, height = self._scaled(obj, box)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" loading="lazy" style="object-fit: contain">',
            obj.file.url,
            width,
            height,
        )

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, obj):
        return self._img(obj, THUMBNAIL_BOX)

    @admin.display(description=_("Vorschau"))
    def preview(self, obj):
        return self._img(obj, (480, 360)) if obj.pk else None

    @admin.display(description=_("Titel / Bildunterschrift"), ordering="title")
    def label(self, obj):
        return obj.title or (obj.caption[:80] + "…" if len(obj.caption) > 80 else obj.caption) or str(obj)

    @admin.display(description=_("Größe"))
    def size(self, obj):
        if not obj.width or not obj.height:
            return None
        return f"{obj.width} × {obj.height} px"
