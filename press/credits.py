"""Where library images are shown publicly, the press photos of a release, and the public
Bildnachweis page (image credits) generated from the data.

This module sits in the top app because it must know every public page that shows an image:
releases (lead image and image blocks, through ``PressRelease.objects.published()``, the one
publishing rule) and partnership pages. ``public_image_uses`` is registered with the image
library in ``PressConfig.ready()``; ``Image.objects.public()`` then means "shown on a public
page, rights not expired", for the image files (``cityhall.library.image_views``), the downloads and
this page alike.
"""

from django.db.models import Prefetch, Q
from django.views.generic import ListView

from cityhall.library.models import Image
from partnerships.models import Partnership

from .models import ImageBlock, PressRelease

CREDITS_PAGE_SIZE = 50


def public_image_uses():
    """``Q`` on Image: the image of a published release, of an image block in one, or of a
    public partnership page."""
    published = PressRelease.objects.published()
    return (
        Q(pk__in=published.filter(image__isnull=False).values("image"))
        | Q(pk__in=ImageBlock.objects.filter(parent__in=published).values("image"))
        | Q(pk__in=Partnership.objects.public().filter(image__isnull=False).values("image"))
    )


def press_photos(release, blocks):
    """The photos of ``release`` offered for download, in page order, each once, as
    (image, caption) pairs: the lead image and image blocks, without decorative images and
    images whose rights have expired. ``blocks`` are the release's loaded blocks: no query."""
    uses = []
    if release.image is not None:
        uses.append((release.image, release.lead_image_caption))
    uses += [(block.image, block.effective_caption) for block in blocks if isinstance(block, ImageBlock)]
    photos, seen = [], set()
    for image, caption in uses:
        if image.pk in seen or image.decorative or image.rights_expired:
            continue
        seen.add(image.pk)
        photos.append((image, caption))
    return photos


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
            Image.objects.public()
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
