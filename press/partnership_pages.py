"""The partnership page with its press releases. The partnerships app knows nothing of press; its page
leaves empty blocks, and this view (wired in the project's root URLs under the name
``partnerships:detail``) adds the releases: the published ones of each project in the timeline, and the
partnership's releases, paginated, with their Atom feed."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404

from partnerships import views

from .models import PressRelease

RELEASES_PER_PAGE = 20


class PartnershipDetailView(views.PartnershipDetailView):
    template_name = "press/partnership_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        timeline_releases = (
            PressRelease.objects.published()
            .only("slug", "title", "published_at")
            .order_by("-published_at", "-pk")
        )
        context["projects"] = context["projects"].prefetch_related(
            Prefetch("press_releases", queryset=timeline_releases, to_attr="published_releases")
        )
        releases = self.object.press_releases.published().for_listing()
        try:
            page = Paginator(releases, RELEASES_PER_PAGE).page(self.request.GET.get("page") or 1)
        except InvalidPage as exc:
            raise Http404("Diese Seite gibt es nicht.") from exc
        context["page_obj"] = page
        context["releases"] = page.object_list
        if page.number > 1:
            context["canonical_path"] = f"{self.request.path}?page={page.number}"
        return context
