"""Public pages: home, a release, its preview and the search (the archive: press/archive.py)."""

from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from cityhall.library.links import absolute_url
from cityhall.library.models import EasyLanguagePage
from cityhall.library.vcard import vcard
from partnerships.models import Partnership

from . import archive, previews
from .forms import SearchForm
from .models import FeaturedRelease, PressRelease
from .models.numbers import parse_label
from .rendering import keep_rendered, load_blocks, render_release
from .search import RANK_CANDIDATES, Terms, search_partnerships, search_releases, snippet

HOME_COUNT = 10
RELATED_COUNT = 3
SEARCH_PAGE_SIZE = 20


class HomeView(ListView):
    template_name = "press/home.html"
    context_object_name = "releases"
    extra_context = {"page_title": "Aktuelle Pressemitteilungen"}

    def get_queryset(self):
        return PressRelease.objects.published().for_listing()[:HOME_COUNT]

    def get_context_data(self, **kwargs):
        featured = FeaturedRelease.objects.releases()
        context = super().get_context_data(
            easy_language_pages=EasyLanguagePage.objects.on_home(), featured=featured, **kwargs
        )
        # A pinned release is shown once, at the top.
        pinned = {release.pk for release in featured}
        context["releases"] = [release for release in context["releases"] if release.pk not in pinned]
        return context


class ReleaseDetailView(DetailView):
    """A published release; editors (press.change_pressrelease) may also preview drafts and embargoed
    releases, which are then marked noindex and never cached."""

    context_object_name = "release"

    def get_queryset(self):
        if self.request.user.has_perm("press.change_pressrelease"):
            # Withdrawn ones get the same notice page as everybody (see get()).
            queryset = PressRelease.objects.exclude(status=PressRelease.Status.WITHDRAWN)
        else:
            queryset = PressRelease.objects.published()
        return queryset.select_related("image__license", "contact", "rendered_body").prefetch_related(
            "tags", "partnerships", "corrections"
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A release withdrawn after it was public leaves a page saying so, not a silent 404.
            withdrawn = PressRelease.objects.withdrawn().filter(slug=kwargs.get("slug")).first()
            if withdrawn is not None:
                return withdrawn_page(request, withdrawn)
            # No release has this slug: /pressemitteilungen/2024/ was the year archive.
            return archive.old_year_address(request, kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_public
        blocks = load_blocks(self.object)  # the kept body and the image blocks (press.rendering)
        rendering = render_release(self.object, blocks, request=self.request, preview=context["is_preview"])
        keep_rendered(self.object, blocks)
        context["rendering"] = rendering
        context["jsonld"] = rendering.jsonld(self.request)
        context["press_photos"] = rendering.press_photos
        context["related_releases"] = PressRelease.objects.published().related_to(self.object)[:RELATED_COUNT]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response


@require_safe
def search(request):
    """Search: 200 with results (or none), 400 with the form's errors for input it cannot take."""
    form = SearchForm(request.GET)
    context = {"form": form, "page_title": "Suche"}
    if not form.is_valid():
        return render(request, "press/search.html", context, status=400)
    if form.has_criteria():
        # A release number ("PM 123/2026") leads straight to its release.
        number = parse_label(form.cleaned_data["q"])
        if number is not None:
            found = PressRelease.objects.published().filter(number=number[0], number_year=number[1]).first()
            if found is not None:
                return redirect(found.get_absolute_url())
        terms = Terms.parse(form.cleaned_data["q"])
        releases = form.filter(PressRelease.objects.published())
        releases = search_releases(terms, releases) if terms else releases.order_by("-published_at", "-pk")
        releases = releases.select_related("image", "search_entry").prefetch_related("tags")
        page = Paginator(releases, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        for release in page:
            release.snippet = snippet(release, terms) if terms else None
        context.update(
            searched=True,
            page_obj=page,
            releases=page.object_list,
            terms=terms,
            rank_candidates=RANK_CANDIDATES if terms and connection.vendor == "postgresql" else None,
            partnerships=search_partnerships(terms, Partnership.objects.public()) if page.number == 1 else [],
            page_title=f"Suche nach „{terms.text}“" if terms else "Suche",
        )
    return render(request, "press/search.html", context)


@require_safe
def contact_vcard(request, slug):
    """The press contact of a release as a vCard; for a release citizens may see (staff: any but withdrawn)."""
    if request.user.has_perm("press.change_pressrelease"):
        releases = PressRelease.objects.exclude(status=PressRelease.Status.WITHDRAWN)
    else:
        releases = PressRelease.objects.published()
    release = get_object_or_404(releases.select_related("contact"), slug=slug, contact__isnull=False)
    response = HttpResponse(vcard(release.contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pressekontakt-{slug}.vcf"'
    if not release.is_public:
        patch_cache_control(response, private=True, no_store=True)
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


def withdrawn_page(request, release):
    """410 Gone with a notice: title, date of publication and of withdrawal, the reason if given."""
    response = render(
        request,
        "press/pressrelease_withdrawn.html",
        {"release": release, "page_title": f"Zurückgezogen: {release.title}"},
        status=410,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def preview(request, token):
    """A release before it is public, through a signed preview link (press/previews.py), without
    login: stamped "Sperrfrist bis …", never cached, never indexed, no referrer leaving the page."""
    try:
        link = previews.resolve(token)
    except previews.PreviewUnavailable as exc:
        response = render(
            request,
            "press/preview_unavailable.html",
            {"message": str(exc), "page_title": "Vorschau"},
            status=exc.status,
        )
    else:
        release = link.release
        if release.is_public:
            return redirect(release.get_absolute_url())
        previews.mark_used(link)
        release = (
            PressRelease.objects.select_related("image__license", "contact")
            .prefetch_related("tags", "partnerships", "corrections")
            .get(pk=release.pk)
        )
        # The release's images are not public yet: their addresses carry a grant (cityhall.library.renditions).
        rendering = render_release(
            release, request=request, preview=True, image_grant=previews.grant_scope(link)
        )
        response = render(
            request,
            "press/pressrelease_detail.html",
            {
                "release": release,
                "rendering": rendering,
                "is_preview": True,
                "preview_link": link,
                "image_grant": previews.grant_scope(link),
                "canonical_path": request.path,
            },
        )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
