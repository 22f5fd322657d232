"""Admin for twin-city partnerships, their projects and the managed list of themes."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Project, Theme


class ProjectInline(admin.StackedInline):
    model = Project
    extra = 0
    fields = [("title", "year", "end_year"), "summary", "themes"]
    autocomplete_fields = ["themes"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["partner_city", "country", "since", "project_count"]
    search_fields = ["partner_city", "country"]
    fields = ["partner_city", "country", "since", "summary", "slug"]
    inlines = [ProjectInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("projects"))

    @admin.display(description=_("Projekte"), ordering="project_count")
    def project_count(self, obj):
        return obj.project_count


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "year", "end_year", "theme_list"]
    list_select_related = ["partnership"]
    list_filter = ["themes", "partnership"]
    search_fields = ["title", "summary", "partnership__partner_city"]
    autocomplete_fields = ["partnership", "themes"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    @admin.display(description=_("Themen"))
    def theme_list(self, obj):
        return ", ".join(theme.name for theme in obj.themes.all()) or None
