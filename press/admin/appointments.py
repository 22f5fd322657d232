"""Press appointments in the admin: the office writes the invitation; only those who may publish
(press.publish_appointment, the spokespeople) tick "Veröffentlicht" or change a published one."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from press.models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "place", "published"]
    list_filter = ["published", "kind"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["attendees", "contact", "release"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "starts_at", "ends_at"]}),
        (_("Ort"), {"fields": ["place", "address"]}),
        (_("Inhalt"), {"fields": ["description", "attendees", "accreditation", "contact", "release"]}),
        (_("Veröffentlichung"), {"fields": ["published"]}),
    ]

    def _may_publish(self, request):
        return request.user.has_perm("press.publish_appointment")

    def get_readonly_fields(self, request, obj=None):
        if self._may_publish(request):
            return []
        if obj is not None and obj.published:
            # A published invitation is on the site and in subscribers' calendars: changed by those who publish.
            return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]
        return ["published"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.published and not self._may_publish(request):
            return False
        return super().has_delete_permission(request, obj)
