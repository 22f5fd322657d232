"""Admin for officials, press contacts, licences and the image library."""

import contextvars

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote
from django.db import models, router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cityhall.library.forms import PersonForm
from cityhall.library.models import (
    AccessibilityFeedback,
    Contact,
    EasyLanguagePage,
    LegalPage,
    License,
    Office,
    Person,
)
from cityhall.library.shared import SharedObjectAdminMixin

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


_request = contextvars.ContextVar("cityhall_admin_request", default=None)


def may_see(admin_site, request, obj):
    """May the user of ``request`` see ``obj`` in the admin (its title included)? Objects without an
    admin page of their own, or without a request to ask, are not shown."""
    model_admin = admin_site._registry.get(type(obj))
    return request is not None and model_admin is not None and model_admin.has_view_permission(request, obj)


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

    def changeform_view(self, request, *args, **kwargs):
        token = _request.set(request)  # ``used_in`` shows only what this user may see
        try:
            response = super().changeform_view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # while the request is known
            return response
        finally:
            _request.reset(token)

    @admin.display(description=_("Verwendet in"))
    def used_in(self, obj):
        if obj.pk is None:
            return None
        found = usages(self.model, [obj])
        if not found:
            return None
        shown = [(label, owner) for label, owner in found if may_see(self.admin_site, _request.get(), owner)]
        items = [
            format_html("<li>{}: {}</li>", label, admin_link(self.admin_site, owner))
            for label, owner in shown
        ]
        hidden = len(found) - len(shown)
        if hidden:
            items.append(
                format_html(
                    "<li>{}</li>",
                    ngettext(
                        "%(n)d weitere Verwendung, die Sie nicht sehen dürfen",
                        "%(n)d weitere Verwendungen, die Sie nicht sehen dürfen",
                        hidden,
                    )
                    % {"n": hidden},
                )
            )
        return format_html(
            '<ul class="used-in">{}</ul>', format_html_join("", "{}", ((item,) for item in items))
        )


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0
    fields = ["role", "organisation", "start", "end"]


@admin.register(Person)
class PersonAdmin(SharedObjectAdminMixin, InUseProtectionMixin, admin.ModelAdmin):
    form = PersonForm
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


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """One Impressum and one Datenschutzerklärung (a second of a kind is a field error): they can be written
    and changed, not deleted (every page's footer links them)."""

    list_display = ["title", "kind", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


# The image library's and the redirects' admins live in their own modules.
from cityhall.library import image_admin, redirect_admin  # noqa: E402, F401
