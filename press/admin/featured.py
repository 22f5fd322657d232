"""Featured releases in the admin: the spokespeople (press.publish_pressrelease) pin and unpin; the role
migration gives them the model's permissions, so Redaktion does not see it."""

from django.contrib import admin

from press.models import FeaturedRelease


@admin.register(FeaturedRelease)
class FeaturedReleaseAdmin(admin.ModelAdmin):
    list_display = ["release", "position", "until"]
    list_editable = ["position", "until"]
    autocomplete_fields = ["release"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("release")
