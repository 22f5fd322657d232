"""The public Bildnachweis page (image credits), generated from the data: every image that may be
shown publicly (``press.visibility.public_images``, the one rule in SQL), with the pages it is on.
"""

from django.db.models import Prefetch
from django.views.generic import ListView

from partnerships.models import Partnership

from .models import ImageBlock, PressRelease
from .visibility import public_images

CREDITS_PAGE_SIZE = 50


class CreditsView(ListView):
    """Bildnachweis: every image shown on a public page, with credit, rights holder,
    photographer and licence, and the pages it is shown on. Four queries, however many images."""

    template_name = "press/credits.html"
    context_object_name = "images"
    paginate_by = CREDITS_PAGE_SIZE
    extra_context = {"page_title": "Bildnachweis"}

    def get_queryset(self):
        published = PressRelease.objects.published()
        return (
            public_images()
            .select_related("license")
            .prefetch_related(
                Prefetch("lead_for_releases", queryset=published.order_by("-published_at", "-pk")),
                Prefetch(
                    "blocks",
                    queryset=ImageBlock.objects.filter(parent__in=published).select_related("parent"),
                ),
                Prefetch("partnerships", queryset=Partnership.objects.public()),
            )
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for image in context["images"]:
            image.public_uses = _uses(image)
        page = context["page_obj"]
        if page.number > 1:
            context["page_title"] = f"Bildnachweis – Seite {page.number}"
            context["canonical_path"] = f"{self.request.path}?page={page.number}"
        return context


def _uses(image):
    """(label, path) of the public pages showing ``image``, from the prefetched relations:
    releases newest first, each once, then partnership pages."""
    releases = {release.pk: release for release in image.lead_for_releases.all()}
    for block in image.blocks.all():
        releases.setdefault(block.parent.pk, block.parent)
    ordered = sorted(releases.values(), key=lambda release: (release.published_at, release.pk), reverse=True)
    uses = [(release.title, release.get_absolute_url()) for release in ordered]
    uses += [
        (f"Städtepartnerschaft {partnership.partner_city}", partnership.get_absolute_url())
        for partnership in image.partnerships.all()
    ]
    return uses
