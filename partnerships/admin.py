"""Admin for twin-city partnerships, their projects and the managed list of themes, with the list of
anniversaries in the next 24 months for planning press releases."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from partnerships.forms import ProjectForm
from partnerships.models import ANNIVERSARY_STEP, Partnership, Project, Theme, add_months

ANNIVERSARY_MONTHS = 24


class ProjectInline(admin.StackedInline):
    model = Project
    form = ProjectForm
    extra = 0
    fields = ["title", ("start", "end"), "summary", "participants", "themes"]
    autocomplete_fields = ["themes"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = [
        "partner_city",
        "country",
        "kind",
        "status_display",
        "since",
        "next_anniversary",
        "project_count",
    ]
    list_filter = ["status", "kind", ("country", CountryFilter)]  # only the countries in use
    search_fields = ["partner_city", "native_name", "country", "summary"]
    autocomplete_fields = ["contact", "image"]
    readonly_fields = ["updated_at"]
    change_list_template = "partnerships/admin/partnership_change_list.html"
    fieldsets = [
        (
            _("Partnerstadt"),
            {"fields": ["partner_city", ("native_name", "native_language"), "country", "slug"]},
        ),
        (
            _("Partnerschaft"),
            {
                "fields": [
                    "kind",
                    ("status", "status_changed_on"),
                    "status_reason",
                    ("first_contact_year", "since", "founded_on"),
                    ("council_decision_on", "council_decision"),
                ]
            },
        ),
        (_("Zuständig"), {"fields": ["office", "contact"]}),
        (_("Texte"), {"fields": ["summary", "description"]}),
        (_("Bild"), {"fields": ["image", "image_alt", "image_caption"]}),
        (_("Karte und Verweise"), {"fields": [("latitude", "longitude"), "wikidata_id", "updated_at"]}),
    ]
    inlines = [ProjectInline]

    def get_queryset(self, request):
        # An aggregate drops Meta.ordering (GROUP BY), so the order is set again.
        return (
            super().get_queryset(request).annotate(project_count=Count("projects")).order_by("partner_city")
        )

    @admin.display(description=_("Projekte"), ordering="project_count")
    def project_count(self, obj):
        return obj.project_count

    @admin.display(description=_("Status"), ordering="status")
    def status_display(self, obj):
        return obj.status_text

    @admin.display(description=_("Nächstes Jubiläum"))
    def next_anniversary(self, obj):
        if obj.is_ended:
            return None
        today = timezone.localdate()
        upcoming = obj.anniversaries_between(today, add_months(today, 12 * ANNIVERSARY_STEP))
        founding = [a for a in upcoming if a.kind == a.FOUNDING]
        if not founding:
            return None
        first = founding[0]
        return f"{first.label} ({first.day.strftime('%d.%m.%Y') if first.day else first.year})"

    def get_urls(self):
        urls = [
            path(
                "jubilaeen/",
                self.admin_site.admin_view(self.anniversaries_view),
                name="partnerships_partnership_anniversaries",
            )
        ]
        return urls + super().get_urls()

    def anniversaries_view(self, request):
        """The round anniversaries of the next 24 months, soonest first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        anniversaries = Partnership.objects.anniversaries(today=today, months=ANNIVERSARY_MONTHS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Jubiläen der nächsten %(months)d Monate") % {"months": ANNIVERSARY_MONTHS},
            "anniversaries": anniversaries,
            "today": today,
            "months": ANNIVERSARY_MONTHS,
            "step": ANNIVERSARY_STEP,
        }
        return TemplateResponse(request, "partnerships/admin/anniversaries.html", context)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "project_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("projects")).order_by("name")

    @admin.display(description=_("Projekte"), ordering="project_count")
    def project_count(self, obj):
        return obj.project_count


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectForm
    list_display = ["title", "partnership", "period_display", "theme_list"]
    list_select_related = ["partnership"]
    list_filter = ["themes", "partnership"]
    search_fields = ["title", "summary", "participants", "partnership__partner_city"]
    autocomplete_fields = ["partnership", "themes"]
    fields = ["partnership", "title", ("start", "end"), "summary", "participants", "themes"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    @admin.display(description=_("Zeitraum"), ordering="start")
    def period_display(self, obj):
        return obj.period or None

    @admin.display(description=_("Themen"))
    def theme_list(self, obj):
        return ", ".join(theme.name for theme in obj.themes.all()) or None
