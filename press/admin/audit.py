"""The audit log in the admin: read-only."""

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from press.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read-only, for those with press.view_auditentry (Pressesprecher/in)."""

    list_display = ["at", "action", "release_link", "user_name", "from_status", "to_status", "note"]
    list_filter = ["action", "user"]
    list_select_related = ["release"]
    search_fields = ["release_title", "user_name", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Pressemitteilung"), ordering="release_title")
    def release_link(self, entry):
        if entry.release_id is None:
            return entry.release_title
        url = reverse("admin:press_pressrelease_change", args=[quote(entry.release_id)])
        return format_html('<a href="{}">{}</a>', url, entry.release_title)
