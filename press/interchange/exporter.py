"""Export: the database → ``content.json`` + ``images/`` in the format ``cityhall-press/1``, in a stable
order, so that export, import into an empty database and export again give the same file."""

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from cityhall.library.models import Image
from cityhall.library.slugs import GERMAN_TRANSLITERATION, german_slugify
from partnerships import dates as partial_dates
from partnerships.models import Partnership
from press.models import BLOCK_MODELS, BackgroundBlock, ImageBlock, PressRelease, QuoteBlock, TextBlock

from .errors import InterchangeError
from .schema import FORMAT

EXPORT_TIMEZONE = ZoneInfo("Europe/Berlin")
CONTENT_FILE = "content.json"
IMAGES_DIR = "images"
IMAGE_DATE_KEYS = ("rights_expire_on", "taken_on")
FOCAL_DEFAULT = Image._meta.get_field("focal_x").get_default()  # as for a new image: left out
BLOCK_TYPE_NAMES = {
    TextBlock: "text",
    QuoteBlock: "quote",
    ImageBlock: "image",
    BackgroundBlock: "background",
}


@dataclass
class ExportResult:
    path: Path
    partnerships: int
    releases: int
    images: int

    def summary(self):
        return (
            f"{self.path}: {self.partnerships} Städtepartnerschaften, {self.releases} Pressemitteilungen, "
            f"{self.images} Bilder."
        )


class _ImageNames:
    """Stable, unique file names for exported images: the base name of the original file
    (transliterated), with the extension of the stored file; -2, -3, … where two collide."""

    def __init__(self):
        self.by_image = {}
        self.taken = set()

    def name(self, image):
        if image.pk in self.by_image:
            return self.by_image[image.pk]
        stem = PurePosixPath(image.original_filename).stem.translate(GERMAN_TRANSLITERATION)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.")
        stem = stem or german_slugify(image.title or image.caption[:60], max_length=60, fallback="bild")
        extension = PurePosixPath(image.file.name).suffix.lower()
        name, n = f"{stem}{extension}", 1
        while name.casefold() in self.taken:  # also unique on case-insensitive file systems
            n += 1
            name = f"{stem}-{n}{extension}"
        self.taken.add(name.casefold())
        self.by_image[image.pk] = name
        return name

    def images(self, by_pk):
        return [(name, by_pk[pk]) for pk, name in self.by_image.items()]


def _drop_empty(data):
    return {key: value for key, value in data.items() if value not in ("", None)}


def _export_image(image, alt_override, caption_override, names):
    spec = {"file": f"{IMAGES_DIR}/{names.name(image)}"}
    if image.decorative and not alt_override:
        spec["decorative"] = True
    else:
        spec["alt"] = alt_override or image.alt_text
    spec["caption"] = caption_override or image.caption
    spec.update(credit=image.credit, copyright_holder=image.copyright_holder, photographer=image.photographer)
    if image.license:
        spec.update(license=image.license.name, license_url=image.license.url)
    spec["usage_terms"] = image.usage_terms
    for key in IMAGE_DATE_KEYS:
        value = getattr(image, key)
        spec[key] = value.isoformat() if value else None
    for key in ("focal_x", "focal_y"):
        value = getattr(image, key)
        spec[key] = value if value != FOCAL_DEFAULT else None  # the middle, as for a new image
    spec["title"] = image.title
    return _drop_empty(spec)


def _export_block(block, names):
    kind = BLOCK_TYPE_NAMES[type(block)]
    if isinstance(block, TextBlock):
        return {"type": kind, "html": block.html}
    if isinstance(block, BackgroundBlock):
        return {"type": kind, "title": block.title, "html": block.html}
    if isinstance(block, QuoteBlock):
        speaker = _drop_empty({"name": block.speaker.name, "honorific": block.speaker.honorific})
        # Role and organisation are always written, even when empty, so that an import stores
        # exactly these and does not fill them from an office.
        speaker.update(role=block.role, organisation=block.organisation)
        return {"type": kind, "text": block.text, "speaker": speaker}
    return {"type": kind, **_export_image(block.image, block.alt_text, block.caption, names)}


def _export_date(value):
    return value.isoformat() if value else None


def _export_project(project):
    data = {"title": project.title}
    for key, year_key, value, precision in (
        ("start", "year", project.start, project.start_precision),
        ("end", "end_year", project.end, project.end_precision),
    ):
        if value is None:
            continue
        # A year is written as the older integer key, so files with years stay as they were.
        if precision == partial_dates.Precision.YEAR:
            data[year_key] = value.year
        else:
            data[key] = partial_dates.iso(value, precision)
    data.update(_drop_empty({"summary": project.summary, "participants": project.participants}))
    data["themes"] = sorted((theme.name for theme in project.themes.all()), key=str.casefold)
    return data


def _export_contact(contact):
    return _drop_empty(
        {"name": contact.name, "role": contact.role, "email": contact.email, "phone": contact.phone}
    )


def _export_coordinate(value):
    return float(value) if value is not None else None


def _export_partnership(partnership, names):
    projects = sorted(
        partnership.projects.all(),
        key=lambda p: (p.start is None, p.start or date.min, p.end or date.min, p.title),
    )
    data = _drop_empty(
        {
            "slug": partnership.slug,
            "partner_city": partnership.partner_city,
            "native_name": partnership.native_name,
            "native_language": partnership.native_language,
            "country": str(partnership.country),
            "kind": partnership.kind,
            "status": partnership.status,
            "status_changed_on": _export_date(partnership.status_changed_on),
            "status_reason": partnership.status_reason,
            "first_contact_year": partnership.first_contact_year,
            "since": partnership.since,
            "founded_on": _export_date(partnership.founded_on),
            "council_decision_on": _export_date(partnership.council_decision_on),
            "council_decision": partnership.council_decision,
            "office": partnership.office,
            "summary": partnership.summary,
            "description": partnership.description,
            "latitude": _export_coordinate(partnership.latitude),
            "longitude": _export_coordinate(partnership.longitude),
            "wikidata": partnership.wikidata_id,
        }
    )
    if partnership.contact:
        data["contact"] = _export_contact(partnership.contact)
    if partnership.image:
        data["image"] = _export_image(
            partnership.image, partnership.image_alt, partnership.image_caption, names
        )
    data["projects"] = [_export_project(project) for project in projects]
    return data


def _export_release(release, blocks, names):
    data = _drop_empty(
        {
            "slug": release.slug,
            "language": release.language,
            "kicker": release.kicker,
            "title": release.title,
            "subtitle": release.subtitle,
            "lead": release.lead,
            "published_at": release.published_at.astimezone(EXPORT_TIMEZONE).isoformat(),
            "status": release.status,
            "browser_title": release.browser_title,
            "meta_description": release.meta_description,
            "social_text": release.social_text,
            "number": release.number,
            "number_year": release.number_year,
        }
    )
    data["tags"] = sorted((tag.name for tag in release.tags.all()), key=lambda name: (name.casefold(), name))
    if release.image:
        data["image"] = _export_image(release.image, release.image_alt, release.image_caption, names)
    data["blocks"] = [_export_block(block, names) for block in blocks]
    data["partnerships"] = sorted(partnership.slug for partnership in release.partnerships.all())
    projects = sorted((project.partnership.slug, project.title) for project in release.projects.all())
    if projects:  # left out when empty, so files written before projects could be named stay as they were
        data["projects"] = [{"partnership": slug, "title": title} for slug, title in projects]
    if release.contact:
        data["contact"] = _export_contact(release.contact)
    return data


def export_data():
    """The whole content as interchange data, plus the images to write: (data, [(file name, Image)])."""
    partnerships = sorted(
        Partnership.objects.select_related("contact", "image__license").prefetch_related("projects__themes"),
        key=lambda p: p.slug,
    )
    releases = sorted(
        PressRelease.objects.select_related("image__license", "contact").prefetch_related(
            "tags", "partnerships", "projects__partnership"
        ),
        key=lambda r: (r.published_at, r.slug),
    )
    blocks_by_release = {}
    related = {QuoteBlock: ["speaker"], ImageBlock: ["image__license"]}
    for model in BLOCK_MODELS:
        for block in model.objects.select_related(*related.get(model, [])):
            blocks_by_release.setdefault(block.parent_id, []).append(block)
    order = {model: index for index, model in enumerate(BLOCK_MODELS)}
    names, images = _ImageNames(), {}
    exported = []
    for release in releases:
        blocks = sorted(
            blocks_by_release.get(release.pk, []), key=lambda b: (b.ordering, order[type(b)], b.pk)
        )
        for image in [release.image, *(getattr(block, "image", None) for block in blocks)]:
            if image is not None:
                images[image.pk] = image
        exported.append(_export_release(release, blocks, names))
    # Partnership images are named after the releases' ones, so adding them renames no release image.
    exported_partnerships = []
    for partnership in partnerships:
        if partnership.image is not None:
            images[partnership.image.pk] = partnership.image
        exported_partnerships.append(_export_partnership(partnership, names))
    data = {
        "format": FORMAT,
        "partnerships": exported_partnerships,
        "releases": exported,
    }
    return data, names.images(images)


def export_content(directory):
    """Write ``content.json`` and ``images/`` into ``directory`` (created if needed)."""
    directory = Path(directory)
    data, images = export_data()
    (directory / IMAGES_DIR).mkdir(parents=True, exist_ok=True)
    for name, image in images:
        try:
            with image.file.open("rb") as handle:
                content = handle.read()
        except (OSError, ValueError) as exc:
            raise InterchangeError(
                f"Bild '{image}' (Nr. {image.pk}): Datei '{image.file.name}' fehlt"
            ) from exc
        (directory / IMAGES_DIR / name).write_bytes(content)
    path = directory / CONTENT_FILE
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ExportResult(
        path=path, partnerships=len(data["partnerships"]), releases=len(data["releases"]), images=len(images)
    )
