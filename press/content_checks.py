"""Content checks on a release before it is submitted, as Wagtail's content checks do: alt texts that
are empty or a file name, headings out of order, link texts that say nothing ("hier", "klicken",
"mehr"), and a readability figure for German (LIX) with the word count and reading time.

They warn and never block. The same function answers for a saved release (``from_release``) and for
what is in the form right now (``from_payload``, sent by the panel's script while someone types), so
the panel on the change form and the tests see the same findings.
"""

import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityhall.library.models import Image

WORDS_PER_MINUTE = 200  # reading speed of an adult reading German on a screen
LONG_WORD = 7  # LIX counts words of more than six letters as long
VAGUE_LINK_TEXTS = {
    "hier", "klicken", "hier klicken", "klicken sie hier", "bitte hier klicken", "mehr", "mehr lesen",
    "mehr erfahren", "mehr dazu", "mehr informationen", "weiter", "weiterlesen", "link", "details", "zum artikel",
}  # fmt: skip
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".heic", ".avif", ".svg")
CAMERA_NAME = re.compile(r"^(img|dsc|dscn|dsc_|pxl|p|dji|gopr|screenshot|bildschirmfoto)[-_ ]?\d", re.I)
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?…:;]+(?=\s|$)")
# LIX bands for German texts (Björnsson; as used by German readability tools).
LIX_BANDS = [(40, "leicht"), (50, "mittel"), (60, "schwer")]
LIX_HARD = 60


@dataclass
class Block:
    """One block of the body as the checks see it. ``kind`` is text, background, quote or image."""

    kind: str
    html: str = ""
    text: str = ""
    title: str = ""
    image: Image | None = None
    alt: str = ""


@dataclass
class ReleaseText:
    title: str = ""
    lead: str = ""
    image: Image | None = None
    image_alt: str = ""
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Finding:
    kind: str  # alt, heading, link, readability
    message: str


@dataclass
class Report:
    findings: list[Finding]
    words: int
    sentences: int
    lix: int | None
    lix_band: str
    minutes: int

    def kinds(self):
        return [finding.kind for finding in self.findings]

    def as_dict(self):
        return {
            "findings": [{"kind": f.kind, "message": f.message} for f in self.findings],
            "words": self.words,
            "sentences": self.sentences,
            "lix": self.lix,
            "lix_band": self.lix_band,
            "minutes": self.minutes,
        }


class _Reader(HTMLParser):
    """Headings, links with their texts, and the plain text of a piece of rich text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings, self.links, self.parts = [], [], []
        self._heading = self._link = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag == "a":
            self._link = [dict(attrs).get("href") or "", ""]
        elif tag in ("p", "li", "br", "blockquote"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append(tuple(self._heading))
            self.parts.append(".\n")  # a heading ends like a sentence
            self._heading = None
        elif tag == "a" and self._link:
            self.links.append(tuple(self._link))
            self._link = None

    def handle_data(self, data):
        self.parts.append(data)
        for current in (self._heading, self._link):
            if current is not None:
                current[1] += data

    @property
    def text(self):
        return "".join(self.parts)


def read_html(html):
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    return reader


def looks_like_file_name(alt, image=None):
    alt = (alt or "").strip()
    if not alt:
        return False
    lowered = alt.casefold()
    if lowered.endswith(IMAGE_SUFFIXES) or CAMERA_NAME.match(alt):
        return True
    if image is not None and image.original_filename:
        name = PurePosixPath(image.original_filename)
        return lowered in (name.name.casefold(), name.stem.casefold())
    return False


def _alt_findings(alt, image, where):
    if image is None:
        return []
    if not alt.strip():
        if image.decorative:
            return []
        return [Finding("alt", _("Kein Alternativtext: %(where)s.") % {"where": where})]
    if looks_like_file_name(alt, image):
        return [
            Finding(
                "alt",
                _(
                    "Der Alternativtext (%(where)s) ist ein Dateiname („%(alt)s“): beschreiben Sie, was zu sehen ist."
                )
                % {"where": where, "alt": alt},
            )
        ]
    return []


def _normal_link_text(text):
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text)).strip().casefold()


def lix(words, sentences):
    """LIX = words per sentence + percentage of long words (more than six letters)."""
    if not words:
        return None
    long_words = sum(1 for word in words if len(word) >= LONG_WORD)
    return round(len(words) / max(sentences, 1) + 100 * long_words / len(words))


def lix_band(value):
    if value is None:
        return ""
    return next((band for limit, band in LIX_BANDS if value < limit), "sehr schwer")


def check(release_text):
    """The findings and figures for ``release_text`` (a ReleaseText)."""
    findings = []
    findings += _alt_findings(release_text.image_alt, release_text.image, _("Aufmacherbild"))
    texts = [release_text.lead]
    level = 1  # the title is the page's h1
    picture = 0
    for block in release_text.blocks:
        if block.kind == "image":
            picture += 1
            alt = block.alt or (block.image.alt_text if block.image else "")
            findings += _alt_findings(alt, block.image, _("Bild %(n)s im Text") % {"n": picture})
            continue
        if block.kind == "quote":
            texts.append(block.text)
            continue
        if block.kind == "background":
            level = 2  # its title is shown as a heading of the second level
            texts.append(block.title + ".")
        reader = read_html(block.html)
        texts.append(reader.text)
        for heading_level, heading_text in reader.headings:
            if heading_level > level + 1:
                findings.append(
                    Finding(
                        "heading",
                        _(
                            "Die Überschrift „%(text)s“ (Ebene %(level)s) folgt auf Ebene %(previous)s: "
                            "eine Ebene ist übersprungen."
                        )
                        % {"text": heading_text.strip(), "level": heading_level, "previous": level},
                    )
                )
            level = heading_level
        for _href, link_text in reader.links:
            normal = _normal_link_text(link_text)
            if not normal or normal in VAGUE_LINK_TEXTS:
                findings.append(
                    Finding(
                        "link",
                        _("Der Linktext „%(text)s“ sagt nicht, wohin der Link führt.")
                        % {"text": link_text.strip()},
                    )
                )
    body = "\n".join(text for text in texts if text)
    words = WORD.findall(body)
    sentences = len(SENTENCE_END.findall(body)) or (1 if words else 0)
    value = lix(words, sentences)
    if value is not None and value >= LIX_HARD:
        findings.append(
            Finding(
                "readability",
                _("Der Text ist sehr schwer lesbar (LIX %(lix)s): kürzere Sätze und Wörter helfen.")
                % {"lix": value},
            )
        )
    return Report(
        findings=findings,
        words=len(words),
        sentences=sentences,
        lix=value,
        lix_band=lix_band(value),
        minutes=max(1, math.ceil(len(words) / WORDS_PER_MINUTE)) if words else 0,
    )


def reading_time(report):
    return ngettext("etwa %(n)s Minute", "etwa %(n)s Minuten", report.minutes) % {"n": report.minutes}


def from_release(release):
    """The ReleaseText of a saved release (its stored blocks in their order)."""
    from press.models import BackgroundBlock, ImageBlock, QuoteBlock, TextBlock

    blocks = []
    for model in (TextBlock, QuoteBlock, ImageBlock, BackgroundBlock):
        for block in model.get_queryset().filter(parent=release):
            blocks.append((block.ordering, _block_of(block)))
    blocks.sort(key=lambda pair: pair[0])
    return ReleaseText(
        title=release.title,
        lead=release.lead,
        image=release.image,
        image_alt=release.image_alt or (release.image.alt_text if release.image else ""),
        blocks=[block for _ordering, block in blocks],
    )


def _block_of(block):
    kind = type(block).__name__.removesuffix("Block").lower()
    if kind == "image":
        return Block("image", image=block.image, alt=block.alt_text)
    if kind == "quote":
        return Block("quote", text=block.text)
    return Block(kind, html=block.html, title=getattr(block, "title", ""))


def _image(value, images):
    try:
        return images.get(int(value))
    except (TypeError, ValueError):
        return None


def from_payload(data):
    """The ReleaseText of what the form holds now, as the panel's script sends it (JSON):
    ``{"title", "lead", "image", "image_alt", "blocks": [{"kind", "html", "text", "title", "image", "alt"}]}``.
    Unknown or malformed parts are left out; image ids are looked up in one query."""
    if not isinstance(data, dict):
        data = {}
    raw_blocks = [b for b in data.get("blocks") or [] if isinstance(b, dict)][:200]
    ids = {data.get("image"), *(b.get("image") for b in raw_blocks)}
    ids = {int(i) for i in ids if str(i or "").isdigit()}
    images = Image.objects.in_bulk(ids) if ids else {}

    def text(value):
        return value if isinstance(value, str) else ""

    blocks = [
        Block(
            kind=text(b.get("kind")),
            html=text(b.get("html")),
            text=text(b.get("text")),
            title=text(b.get("title")),
            image=_image(b.get("image"), images),
            alt=text(b.get("alt")),
        )
        for b in raw_blocks
        if b.get("kind") in ("text", "background", "quote", "image")
    ]
    image = _image(data.get("image"), images)
    image_alt = text(data.get("image_alt")) or (image.alt_text if image else "")
    return ReleaseText(
        title=text(data.get("title")),
        lead=text(data.get("lead")),
        image=image,
        image_alt=image_alt,
        blocks=blocks,
    )
