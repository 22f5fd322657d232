"""Public pages: home, the archive (all, by year, by tag) and a release."""

import datetime

from content_editor.contents import contents_for_item
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from cityhall.links import absolute_url

from .jsonld import news_article
from .models import BLOCK_MODELS, PressRelease

HOME_COUNT = 10

BLOCK_TEMPLATES = {
    "textblock": "press/blocks/text.html",
    "quoteblock": "includes/quote.html",
    "imageblock": "press/blocks/image.html",
    "backgroundblock": "press/blocks/background.html",
}


class HomeView(ListView):
    template_name = "press/home.html"
    context_object_name = "releases"
    extra_context = {"page_title": "Aktuelle Pressemitteilungen"}

    def get_queryset(self):
        return PressRelease.objects.published().for_listing()[:HOME_COUNT]


class ArchiveMixin:
    """Published releases, newest first, 20 a page; an invalid or out-of-range ?page= is a 404."""

    paginate_by = 20
    context_object_name = "releases"
    template_name = "press/pressrelease_list.html"
    heading = "Pressemitteilungen"

    def get_queryset(self):
        return PressRelease.objects.published().for_listing()

    def get_heading(self):
        return self.heading

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["heading"] = self.get_heading()
        context["page_title"] = context["heading"] + (f" – Seite {page.number}" if page.number > 1 else "")
        context["canonical_path"] = self.request.path + (f"?page={page.number}" if page.number > 1 else "")
        context["archive_years"] = PressRelease.objects.published().dates(
            "published_at", "year", order="DESC"
        )
        return context


class ReleaseListView(ArchiveMixin, ListView):
    pass


class ReleaseYearView(ArchiveMixin, ListView):
    allow_empty = False

    def get_queryset(self):
        year = self.kwargs["year"]
        # Year 1 in Berlin is year 0 in UTC, which datetime cannot hold.
        if not datetime.MINYEAR < year <= datetime.MAXYEAR:
            raise Http404("Kein gültiges Jahr.")
        return super().get_queryset().filter(published_at__year=year)

    def get_heading(self):
        return f"Pressemitteilungen {self.kwargs['year']}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.kwargs["year"], **kwargs)


class ReleaseTagView(ArchiveMixin, ListView):
    # A tag used only on drafts is not shown: no published release, no page.
    allow_empty = False

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["tag"])
        return super().get_queryset().filter(tags=self.tag)

    def get_heading(self):
        return f"Pressemitteilungen zum Schlagwort „{self.tag.name}“"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ReleaseDetailView(DetailView):
    """A published release; editors (press.change_pressrelease) may also preview drafts and embargoed
    releases, which are then marked noindex and never cached."""

    context_object_name = "release"

    def get_queryset(self):
        if self.request.user.has_perm("press.change_pressrelease"):
            queryset = PressRelease.objects.all()
        else:
            queryset = PressRelease.objects.published()
        return queryset.select_related("image__license", "contact").prefetch_related("tags", "partnerships")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blocks = list(contents_for_item(self.object, BLOCK_MODELS))
        context["blocks"] = [(block, BLOCK_TEMPLATES[block._meta.model_name]) for block in blocks]
        context["jsonld"] = news_article(self.object, blocks, self.request)
        context["is_preview"] = not self.object.is_public
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {absolute_url(reverse('press:sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
