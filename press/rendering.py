"""One renderer for a release: what its page, its preview, the feeds and (later) e-mails show.

``render_release`` turns a release and its loaded blocks into a ``ReleaseRendering``: the lead
figure and every block in order, each rendered through its block template, which images may be
shown (``press.visibility.may_show``, the one rule), the press photos offered for download, the
social card and the inputs of the structured data. The detail page, the preview link and the
feeds all take their content from here; a surface only chooses where the HTML goes ("page":
``<picture>`` with relative addresses; "feed": one ``<img>`` with an absolute address, as feed
readers need). Text, quotes and background boxes come out the same on every surface.

No query is made here: the blocks are loaded before (``load_blocks``, ``load_blocks_of``: one
query per block type, for one release or many), with their images and licences.

Rendered once, kept: ``store_body`` keeps the HTML of a release's text, quote and background blocks
(``RenderedBody``; the write path calls it on every save, a page fills it when it finds it empty), and
``load_blocks``/``load_blocks_of`` then load only the image blocks and hand the kept HTML back as
``StoredBlock`` items, which ``render_release`` passes through unchanged. What changes a kept body
(a block saved or deleted, a speaker renamed) empties it: ``press.rendered_bodies``.
"""

from dataclasses import dataclass, field

from content_editor.contents import contents_for_item, contents_for_items
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from . import jsonld
from .models import BLOCK_MODELS, ImageBlock, RenderedBody
from .visibility import may_show

PAGE = "page"
FEED = "feed"

LEAD_TEMPLATE = "press/blocks/lead_image.html"
BLOCK_TEMPLATES = {
    "textblock": "press/blocks/text.html",
    "quoteblock": "includes/quote.html",
    "imageblock": "press/blocks/image.html",
    "backgroundblock": "press/blocks/background.html",
}


@dataclass(frozen=True)
class Figure:
    """One use of a library image: the image, its alt text and caption there, and whether it may
    be shown (else a placeholder keeps its place and caption on the page, and feeds leave it out)."""

    image: object
    alt: str
    caption: str
    shown: bool


@dataclass(frozen=True)
class RenderedBlock:
    item: object
    template: str
    html: str
    figure: Figure | None = None


@dataclass
class ReleaseRendering:
    release: object
    surface: str
    lead: Figure | None
    lead_html: str
    blocks: list = field(default_factory=list)

    @property
    def figures(self):
        """Every image use in page order: the lead image, then the image blocks."""
        lead = [self.lead] if self.lead else []
        return lead + [block.figure for block in self.blocks if block.figure]

    @property
    def images(self):
        """(image, caption) of every image that may be shown, in page order: feeds' media, JSON-LD."""
        return [(figure.image, figure.caption) for figure in self.figures if figure.shown]

    @property
    def press_photos(self):
        """The photos offered for download, in page order, each once, as (image, caption): the
        images that may be shown, without decorative ones."""
        photos, seen = [], set()
        for image, caption in self.images:
            if image.pk in seen or image.decorative:
                continue
            seen.add(image.pk)
            photos.append((image, caption))
        return photos

    @property
    def social_image(self):
        """The image of the OpenGraph and Twitter cards: the lead image, if it may be shown."""
        return self.lead.image if self.lead and self.lead.shown else None

    def jsonld(self, request):
        """schema.org ``NewsArticle`` of the release, naming only the images that may be shown."""
        return jsonld.news_article(self.release, self.images, request)


@dataclass(frozen=True)
class StoredBlock:
    """A text, quote or background block as kept in ``RenderedBody``: its kind, id and HTML."""

    kind: str
    pk: int
    html: str


def _kept(release):
    body = getattr(release, "rendered_body", None) if _loaded(release, "rendered_body") else None
    return body.parts if body is not None else None


def _loaded(release, name):
    return name in release._state.fields_cache


def load_blocks(release):
    """The blocks of one release: its kept HTML and its image blocks (one query) when it has a kept
    body (``select_related("rendered_body")``), else every block (one query per type)."""
    return load_blocks_of([release])[release]


def load_blocks_of(releases):
    """{release: [blocks]} for many releases: kept bodies with their image blocks (one query), the
    others with all their blocks (one query per block type)."""
    kept = {release: _kept(release) for release in releases}
    result = {}
    fresh = {release: parts for release, parts in kept.items() if parts is not None}
    if fresh:
        wanted = {part["pk"] for parts in fresh.values() for part in parts if part["kind"] == "imageblock"}
        images = {}
        if wanted:
            images = {block.pk: block for block in ImageBlock.get_queryset().filter(pk__in=wanted)}
        for release, parts in fresh.items():
            if any(part["kind"] == "imageblock" and part["pk"] not in images for part in parts):
                continue  # an image block gone without a signal (raw SQL): rendered from its blocks below
            blocks = []
            for part in parts:
                if part["kind"] == "imageblock":
                    block = images[part["pk"]]
                    block.parent = release
                    blocks.append(block)
                else:
                    blocks.append(StoredBlock(part["kind"], part["pk"], part["html"]))
            result[release] = blocks
    stale = [release for release in releases if release not in result]
    if stale:
        contents = contents_for_items(stale, BLOCK_MODELS)
        result.update({release: list(contents[release]) for release in stale})
    return result


def body_parts(release, blocks):
    """What ``RenderedBody.parts`` keeps of ``blocks`` (loaded, not kept ones), rendered here."""
    parts = []
    for item in blocks:
        kind = item._meta.model_name
        if isinstance(item, ImageBlock):
            parts.append({"kind": kind, "pk": item.pk})
        else:
            html = get_template(BLOCK_TEMPLATES[kind]).render({"surface": PAGE, "item": item})
            parts.append({"kind": kind, "pk": item.pk, "html": html})
    return parts


def store_body(release, blocks=None, revision=None):
    """Keep the rendered body of ``release``. ``revision``: the ``RenderedBody.revision`` read before
    the blocks were; nothing is kept if the body changed since (``press.rendered_bodies``). Without it
    (the write path, inside its transaction) the current revision is taken."""
    if revision is None:
        revision = (
            RenderedBody.objects.filter(release_id=release.pk).values_list("revision", flat=True).first()
        )
        if revision is None:
            RenderedBody.objects.create(release_id=release.pk)
            revision = 0
    blocks = list(contents_for_item(release, BLOCK_MODELS)) if blocks is None else blocks
    if any(isinstance(item, StoredBlock) for item in blocks):
        return
    RenderedBody.objects.filter(release_id=release.pk, revision=revision).update(
        parts=body_parts(release, blocks)
    )


def keep_rendered(release, blocks):
    """After a page rendered a release whose body was not kept: keep it, unless it changed meanwhile."""
    if not _loaded(release, "rendered_body") or _kept(release) is not None:
        return
    body = release.rendered_body
    if body is None:
        RenderedBody.objects.get_or_create(release_id=release.pk)  # kept from the next request on
        return
    store_body(release, blocks, revision=body.revision)


def render_release(release, blocks=None, *, surface=PAGE, request=None, preview=False, image_grant=False):
    """The release as ``surface`` ("page" or "feed") shows it. ``blocks``: its loaded blocks (loaded
    here if None). ``preview``: the page as it will be once public, for editors and preview links
    (its images are shown although not public yet); ``image_grant``: image addresses carry a signed
    grant, for people without an account (preview links). ``request`` makes addresses absolute."""
    if blocks is None:
        blocks = load_blocks(release)
    page_is_public = preview or release.is_public
    base = {"surface": surface, "request": request, "image_grant": image_grant}

    def render(template, **context):
        return get_template(template).render({**base, **context})

    lead = None
    if release.image is not None:
        lead = Figure(
            release.image,
            release.lead_image_alt,
            release.lead_image_caption,
            may_show(release.image, page_is_public=page_is_public),
        )
    rendered = []
    for item in blocks:
        if isinstance(item, StoredBlock):
            # Kept as rendered by the block's template (escaped there).
            rendered.append(RenderedBlock(item, BLOCK_TEMPLATES[item.kind], mark_safe(item.html)))  # noqa: S308
            continue
        template = BLOCK_TEMPLATES[item._meta.model_name]
        figure = None
        if isinstance(item, ImageBlock):
            figure = Figure(
                item.image,
                item.effective_alt,
                item.effective_caption,
                may_show(item.image, page_is_public=page_is_public),
            )
        rendered.append(RenderedBlock(item, template, render(template, item=item, figure=figure), figure))
    return ReleaseRendering(
        release=release,
        surface=surface,
        lead=lead,
        lead_html=render(LEAD_TEMPLATE, figure=lead) if lead else "",
        blocks=rendered,
    )
