"""Public pages: the overview with the map, a partnership, and the projects by theme."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .jsonld import partnership_page
from .map import build_map
from .models import Partnership, Project, Theme
from .templatetags.partnership_tags import country_name


def map_description(partnership):
    """A point's text alternative: "Moskau (Russland), Städtepartnerschaft seit 1992, ruht seit …"."""
    parts = [f"{partnership.partner_city} ({country_name(partnership.country)})"]
    kind = str(partnership.get_kind_display())
    parts.append(f"{kind} seit {partnership.founding_year}" if partnership.founding_year else kind)
    if not partnership.is_active:
        parts.append(partnership.status_text)
    return ", ".join(parts)


class PartnershipListView(ListView):
    """Active and dormant partnerships as a list and a map; ended ones below, without a point."""

    queryset = Partnership.objects.public()
    context_object_name = "all_partnerships"
    template_name = "partnerships/partnership_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        everything = list(context["all_partnerships"])
        current = [p for p in everything if not p.is_ended]
        context["partnerships"] = current
        context["ended_partnerships"] = [p for p in everything if p.is_ended]
        context["partner_map"] = build_map(current, describe=map_description)
        return context


class PartnershipDetailView(DetailView):
    """A partnership with its facts and its projects. The page has empty blocks for the apps above this one
    (``releases``, ``project_extra`` in the timeline, ``feeds_extra``): press fills them in its own view of
    the page (press/partnership_pages.py), so this app names nothing of press."""

    queryset = Partnership.objects.public().select_related("contact", "image__license")
    context_object_name = "partnership"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = self.object.projects.timeline().prefetch_related("themes")
        context["jsonld"] = partnership_page(self.object, self.request)
        return context


class ThemeListView(ListView):
    """Every theme with its projects, across partnerships."""

    context_object_name = "themes"
    template_name = "partnerships/theme_list.html"

    def get_queryset(self):
        projects = Project.objects.public().select_related("partnership").timeline()
        return (
            Theme.objects.filter(projects__partnership__in=Partnership.objects.public())
            .distinct()
            .prefetch_related(Prefetch("projects", queryset=projects))
            .order_by("name")
        )
