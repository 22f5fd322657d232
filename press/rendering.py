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
"""

from dataclasses import dataclass, field

from content_editor.contents import contents_for_item, contents_for_items
from django.template.loader import get_template

from . import jsonld
from .models import BLOCK_MODELS, ImageBlock
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


def load_blocks(release):
    return list(contents_for_item(release, BLOCK_MODELS))


def load_blocks_of(releases):
    """{release: [blocks]} for many releases, one query per block type."""
    contents = contents_for_items(releases, BLOCK_MODELS)
    return {release: list(contents[release]) for release in releases}


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
