"""Reading a file: JSON → the checked shape (``schema.Document``) → what to write, with the image files
read and cleaned. Nothing is written here; no rule of a model is checked here either."""

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image as PILImage
from pydantic import ValidationError as ShapeError

from cityhall.library.imaging import clean_image_upload
from partnerships.models import Partnership
from press.models import PressRelease

from . import schema
from .errors import InterchangeError, join_path, located, one_line, record_where, shape_error

# Fields of the library Image that every use of one file must agree on (alt and caption may differ per use).
IMAGE_LIBRARY_KEYS = (
    "credit", "copyright_holder", "license", "license_url", "title", "photographer", "usage_terms",
    "rights_expire_on", "taken_on", "focal_x", "focal_y",
)  # fmt: skip


@dataclass
class ImageSource:
    """One image file of the import, with every place that uses it."""

    path: str  # relative to the JSON file, POSIX style; stored as Image.original_filename
    raw_digest: str
    clean_name: str
    clean_bytes: bytes
    width: int
    height: int
    uses: list = field(default_factory=list)
    library: dict = field(default_factory=dict)  # Image field values decided from the uses
    image: object = None  # the library Image, once written

    @property
    def clean_digest(self):
        return hashlib.sha256(self.clean_bytes).hexdigest()

    def where(self, key=None):
        """(record, path) of the first use that states ``key`` (else the first use), for errors."""
        use = next((use for use in self.uses if key in use.given), self.uses[0])
        return use.where, use.path


@dataclass
class ImageUse:
    source: ImageSource
    where: str
    path: str
    alt: str  # "" when decorative or not given
    decorative: bool
    caption: str
    given: dict  # library-level values stated at this use (IMAGE_LIBRARY_KEYS)

    def overrides(self):
        """(alt, caption) to store on the release or block so that this use shows what the file says."""
        image = self.source.image
        alt = "" if self.decorative or self.alt == image.alt_text else self.alt
        caption = "" if self.caption == image.caption else self.caption
        return alt, caption


@dataclass
class Record:
    """A partnership or release of the file: its shape, where it is, and what it is found by."""

    where: str
    data: object  # schema.Partnership or schema.Release
    lookup_slug: str
    image: ImageUse | None = None
    block_images: dict = field(default_factory=dict)  # block index → ImageUse


@dataclass
class Plan:
    partnerships: list = field(default_factory=list)
    releases: list = field(default_factory=list)
    images: dict = field(default_factory=dict)  # path → ImageSource


def max_bytes():
    """The largest content file the import reads (``INTERCHANGE_MAX_BYTES``, 512 MB by default)."""
    return getattr(settings, "INTERCHANGE_MAX_BYTES", 512 * 1024 * 1024)


def parse_file(path):
    """The JSON in the file at ``path``, refusing what JSON itself allows but a file must not have."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InterchangeError(f"{path}: Datei nicht gefunden") from exc
    if size > max_bytes():
        raise InterchangeError(
            f"{path}: Datei zu groß ({size:,} Bytes, höchstens {max_bytes():,})".replace(",", ".")
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InterchangeError(f"{path}: keine UTF-8-Datei") from exc
    try:
        return json.loads(text, object_pairs_hook=_without_duplicate_keys)
    except RecursionError as exc:
        raise InterchangeError(f"{path}: zu tief verschachteltes JSON") from exc
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{path}: kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}): {exc.msg}"
        ) from exc
    except _DuplicateKey as exc:
        raise InterchangeError(f"{path}: Feld '{exc.args[0]}' steht in einem Objekt doppelt") from exc


class _DuplicateKey(Exception):
    pass


def _without_duplicate_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def read(data, base_dir):
    """Check the shape of ``data`` (parsed JSON) and return the ``Plan``. Image files are read relative
    to ``base_dir`` and cleaned here, so that a broken image stops the import before anything is written."""
    try:
        # Through JSON, so that strict types mean JSON's types (a date is a string "YYYY-MM-DD").
        document = schema.Document.model_validate_json(json.dumps(data), strict=True)
    except ShapeError as exc:
        raise shape_error(exc, data) from exc
    plan = Plan()
    for kind, default_slug in (
        ("partnerships", lambda p: Partnership.default_slug(p.partner_city)),
        ("releases", lambda r: PressRelease.default_slug(r.title)),
    ):
        seen = {}
        for index, item in enumerate(getattr(document, kind) or []):
            where = record_where(kind, index, data[kind][index])
            # Without a slug, the row is found by the slug the model makes from the title or city.
            record = Record(where=where, data=item, lookup_slug=item.slug or default_slug(item))
            if record.lookup_slug in seen:
                raise located(
                    where, f"slug '{record.lookup_slug}' kommt schon in {seen[record.lookup_slug]} vor"
                )
            seen[record.lookup_slug] = where
            if item.image:
                record.image = _use(item.image, where, "image", plan, base_dir)
            for number, block in enumerate(getattr(item, "blocks", None) or []):
                if block.type == "image":
                    record.block_images[number] = _use(block, where, f"blocks[{number}]", plan, base_dir)
            getattr(plan, kind).append(record)
    for source in plan.images.values():
        _decide_library_values(source)
    return plan


def _use(image, where, path, plan, base_dir):
    source = _load_image_file(image.file, where, join_path(path, "file"), plan, base_dir)
    given = {key: getattr(image, key) for key in IMAGE_LIBRARY_KEYS if getattr(image, key) is not None}
    use = ImageUse(
        source=source,
        where=where,
        path=path,
        alt="" if image.decorative else image.alt or "",
        decorative=bool(image.decorative),
        caption=image.caption or "",
        given=given,
    )
    source.uses.append(use)
    return use


def _load_image_file(value, where, path, plan, base_dir):
    relative = PurePosixPath(value)
    if relative.is_absolute() or ".." in relative.parts or "\\" in value:
        raise located(where, path, "muss ein Pfad relativ zur JSON-Datei sein, ohne „..“")
    key = str(relative)
    if key in plan.images:
        return plan.images[key]
    location = Path(base_dir) / key
    if _has_symlink(Path(base_dir), relative):
        raise located(where, path, f"'{key}' ist ein symbolischer Verweis; Bilder bitte als Dateien beilegen")
    if not location.is_file():
        raise located(where, path, f"Datei '{key}' nicht gefunden")
    with location.open("rb") as handle:
        raw_digest = hashlib.file_digest(handle, "sha256").hexdigest()
        try:
            cleaned = clean_image_upload(File(handle, name=location.name))
        except ValidationError as exc:
            raise located(where, path, f"'{key}': " + " ".join(exc.messages)) from exc
    clean_bytes = cleaned.read()
    with PILImage.open(io.BytesIO(clean_bytes)) as probe:
        width, height = probe.size
    source = ImageSource(key, raw_digest, cleaned.name, clean_bytes, width, height)
    plan.images[key] = source
    return source


def _has_symlink(base_dir, relative):
    """Whether a part of ``relative`` below ``base_dir`` is a symbolic link (which could lead anywhere)."""
    current = base_dir
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return True
    return False


def _decide_library_values(source):
    """The library Image's own values, chosen so that every use shows what the file says for it:
    a use that differs gets per-use overrides (alt, caption) on the release or block."""
    first = source.uses[0]
    decorative = any(use.decorative for use in source.uses)
    library = {
        "decorative": decorative,
        "alt_text": "" if decorative else first.alt,
        # Overrides can only replace a caption, not remove one: if any use has none, the library has none.
        "caption": first.caption if all(use.caption for use in source.uses) else "",
    }
    for key in IMAGE_LIBRARY_KEYS:
        stated = [(use, use.given[key]) for use in source.uses if key in use.given]
        for use, value in stated[1:]:
            if value != stated[0][1]:
                other = stated[0][0]
                raise InterchangeError(
                    one_line(
                        f"{use.where}: {use.path}.{key}: '{source.path}' steht an anderer Stelle mit anderem Wert "
                        f"({other.where}: {other.path}.{key})"
                    )
                )
        if stated:
            library[key] = stated[0][1]
    source.library = library
