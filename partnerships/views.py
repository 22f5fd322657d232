"""Public pages: the overview with the map, a partnership, and the projects by theme."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DetailView, ListView

from .jsonld import partnership_page
from .map import build_map
from .models import Partnership, Project, Theme
from .templatetags.partnership_tags import country_name

RELEASES_PER_PAGE = 20


def published_releases():
    """Published releases, newest first, through the release model's own ``published()`` rule; the model
    is reached through the relation, so this app does not import press."""
    release_model = Project._meta.get_field("press_releases").related_model
    return (
        release_model.objects.published()
        .only("slug", "title", "published_at")
        .order_by("-published_at", "-pk")
    )


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
    queryset = Partnership.objects.public().select_related("contact", "image__license")
    context_object_name = "partnership"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        context["projects"] = partnership.projects.timeline().prefetch_related(
            "themes",
            Prefetch("press_releases", queryset=published_releases(), to_attr="published_releases"),
        )
        # The release QuerySet's own publishing rule, reached through the M2M; partnerships never imports press.
        releases = partnership.press_releases.published().for_listing()
        try:
            page = Paginator(releases, RELEASES_PER_PAGE).page(self.request.GET.get("page") or 1)
        except InvalidPage as exc:
            raise Http404("Diese Seite gibt es nicht.") from exc
        context["page_obj"] = page
        context["releases"] = page.object_list
        if page.number > 1:
            context["canonical_path"] = f"{self.request.path}?page={page.number}"
        context["jsonld"] = partnership_page(partnership, self.request)
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
