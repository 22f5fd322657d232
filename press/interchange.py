"""Import and export of press content in the interchange format ``cityhall-press/1``.

The format is described field by field in ``docs/interchange.md``. In short: one JSON file with
partnerships (and their projects) and press releases (with their blocks), image files next to it.

Import reads and checks the whole file first (types, required fields, unknown keys, image files),
then writes everything in one transaction. A problem anywhere means nothing is written, and the
error names the place in one line, e.g. ``releases[0] (slug 'x'): blocks[2].speaker.name: fehlt``.
Importing the same file again changes nothing: releases and partnerships are matched by slug,
people by name, contacts by name and e-mail, images by their content (looked for under the same
path first), and a row is only saved when one of its values differs.

Export writes ``content.json`` and ``images/`` in the same format, in a stable order, so that
export, import into an empty database and export again give the same file.
"""

import hashlib
import io
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db import DatabaseError, transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django_countries import countries
from PIL import Image as PILImage

from cityhall.library.imaging import clean_image_upload
from cityhall.library.models import Contact, Image, License, Office, Person
from cityhall.library.richtext import sanitize_html
from cityhall.library.slugs import GERMAN_TRANSLITERATION, german_slugify
from partnerships import dates as partial_dates
from partnerships.models import Partnership, Project, Theme, language_validator, wikidata_validator
from press import workflow
from press.models import (
    BLOCK_MODELS,
    SLUG_MAX_LENGTH,
    BackgroundBlock,
    ImageBlock,
    PressRelease,
    QuoteBlock,
    TextBlock,
)

FORMAT = "cityhall-press/1"
COORDINATE_STEP = Decimal("0.00001")  # Partnership.latitude/longitude: five decimal places
EXPORT_TIMEZONE = ZoneInfo("Europe/Berlin")
CONTENT_FILE = "content.json"
IMAGES_DIR = "images"
REGION = "body"
ORDERING_STEP = 10

# Fields of the library Image that every use of one file must agree on (alt and caption may differ per use).
IMAGE_LIBRARY_KEYS = (
    "credit",
    "copyright_holder",
    "license",
    "license_url",
    "title",
    "photographer",
    "usage_terms",
    "rights_expire_on",
    "taken_on",
    "focal_x",
    "focal_y",
)
IMAGE_KEYS = {"file", "alt", "decorative", "caption", *IMAGE_LIBRARY_KEYS}
IMAGE_TEXT_KEYS = ("credit", "copyright_holder", "title", "photographer", "usage_terms")
IMAGE_DATE_KEYS = ("rights_expire_on", "taken_on")
FOCAL_DEFAULT = 50
BLOCK_TYPES = {"text": TextBlock, "quote": QuoteBlock, "image": ImageBlock, "background": BackgroundBlock}
BLOCK_TYPE_NAMES = {model: name for name, model in BLOCK_TYPES.items()}


class InterchangeError(Exception):
    """The content cannot be imported or exported; the message is one line saying where and why."""


def _one_line(text):
    return " ".join(str(text).split())


def _max_length(model, name):
    return model._meta.get_field(name).max_length


# --------------------------------------------------------------------------------------------------
# Reading: JSON values → checked, plain Python structures. No database writes happen here.


class _Reader:
    """One JSON object of the file and where it sits, so that every error names its place."""

    def __init__(self, data, where, path=""):
        self.where = where  # the record, e.g. "releases[0] (slug 'x')"
        self.path = path  # the object inside it, e.g. "blocks[2].speaker"
        if not isinstance(data, dict):
            raise self.error(None, "muss ein Objekt sein")
        self.data = data

    def name(self, key):
        if key is None:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def error(self, key, message):
        return InterchangeError(
            _one_line(": ".join(part for part in (self.where, self.name(key), message) if part))
        )

    def only(self, allowed):
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.error(None, "unbekannte Felder: " + ", ".join(unknown))

    def text(self, key, *, required=False, model=None, max_length=None):
        """A string exactly as given, or None when absent or null (an error if required)."""
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, "fehlt")
            return None
        if not isinstance(value, str):
            raise self.error(key, "muss Text sein")
        if required and not value.strip():
            raise self.error(key, "darf nicht leer sein")
        if model is not None:
            max_length = _max_length(model, key)
        if max_length is not None and len(value) > max_length:
            raise self.error(key, f"ist länger als {max_length} Zeichen")
        return value

    def integer(self, key, *, minimum=0, maximum=32767):
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, "muss eine ganze Zahl sein")
        if not minimum <= value <= maximum:
            raise self.error(key, f"muss zwischen {minimum} und {maximum} liegen")
        return value

    def flag(self, key):
        value = self.data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(key, "muss true oder false sein")
        return value

    def child(self, key, *, required=False):
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, "fehlt")
            return None
        return _Reader(value, self.where, self.name(key))

    def items(self, key):
        """The list under ``key`` as (path, value) pairs; absent or null is an empty list."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, "muss eine Liste sein")
        return [(f"{self.name(key)}[{index}]", item) for index, item in enumerate(value)]

    def strings(self, key, *, max_length):
        """A list of non-empty strings, duplicates (ignoring case) dropped, order kept."""
        result, seen = [], set()
        for path, item in self.items(key):
            if not isinstance(item, str) or not item.strip():
                raise InterchangeError(f"{self.where}: {path}: muss ein nicht leerer Text sein")
            if len(item) > max_length:
                raise InterchangeError(f"{self.where}: {path}: ist länger als {max_length} Zeichen")
            if item.casefold() not in seen:
                seen.add(item.casefold())
                result.append(item)
        return result


@dataclass
class _ImageSource:
    """One image file of the import, with every place that uses it."""

    path: str  # relative to the JSON file, POSIX style; stored as Image.original_filename
    raw_digest: str
    clean_name: str
    clean_bytes: bytes
    width: int
    height: int
    uses: list = field(default_factory=list)
    library: dict = field(default_factory=dict)  # Image field values decided from the uses
    image: Image | None = None

    @property
    def clean_digest(self):
        return hashlib.sha256(self.clean_bytes).hexdigest()


@dataclass
class _ImageUse:
    source: _ImageSource
    where: str
    path: str
    alt: str  # "" when decorative
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
class _Speaker:
    name: str
    honorific: str | None  # None: leave the person's title as it is
    role: str | None  # None: taken from the person's office on the release date
    organisation: str | None


@dataclass
class _Block:
    model: type
    values: dict
    speaker: _Speaker | None = None
    image: _ImageUse | None = None


@dataclass
class _Release:
    where: str
    slug: str | None
    lookup_slug: str
    values: dict
    published_at: datetime | None
    tags: list
    image: _ImageUse | None
    blocks: list
    partnerships: list
    contact: dict | None
    projects: list = field(default_factory=list)  # (path, partnership slug, project title)


@dataclass
class _Project:
    title: str
    values: dict
    themes: list


@dataclass
class _Partnership:
    where: str
    slug: str | None
    lookup_slug: str
    values: dict
    projects: list
    contact: dict | None = None
    image: _ImageUse | None = None


@dataclass
class _Document:
    base_dir: Path
    partnerships: list = field(default_factory=list)
    releases: list = field(default_factory=list)
    images: dict = field(default_factory=dict)  # path → _ImageSource


def _record_where(kind, index, data, label_key, label):
    """How a record is named in errors: its slug if it has one, else its title, else its index."""
    where = f"{kind}[{index}]"
    if isinstance(data, dict):
        if isinstance(data.get("slug"), str) and data["slug"]:
            return f"{where} (slug '{data['slug']}')"
        if isinstance(data.get(label_key), str) and data[label_key].strip():
            text = _one_line(data[label_key])
            return f"{where} ({label} '{text[:60]}{'…' if len(text) > 60 else ''}')"
    return where


def _read_slug(reader, max_length):
    slug = reader.text("slug", max_length=max_length)
    if slug is not None:
        try:
            validate_slug(slug)
        except ValidationError as exc:
            raise reader.error(
                "slug", "nur Buchstaben a–z, Ziffern, Binde- und Unterstriche erlaubt"
            ) from exc
    return slug


def read_document(data, base_dir):
    """Check ``data`` (the parsed JSON) completely and return it as a ``_Document``.
    Image files are read relative to ``base_dir`` and cleaned here, so that a broken image
    stops the import before anything is written."""
    if not isinstance(data, dict):
        raise InterchangeError("Die Datei muss ein JSON-Objekt enthalten")
    root = _Reader(data, "")
    found = data.get("format")
    if found != FORMAT:
        raise root.error("format", f"erwartet '{FORMAT}', gefunden {json.dumps(found, ensure_ascii=False)}")
    root.only({"format", "partnerships", "releases"})
    doc = _Document(base_dir=Path(base_dir))

    readers = (
        ("partnerships", "partner_city", "Stadt", lambda reader: _read_partnership(reader, doc)),
        ("releases", "title", "Titel", lambda reader: _read_release(reader, doc)),
    )
    for kind, label_key, label, read in readers:
        seen = {}
        for index, (_, item) in enumerate(root.items(kind)):
            where = _record_where(kind, index, item, label_key, label)
            record = read(_Reader(item, where))
            if record.lookup_slug in seen:
                raise InterchangeError(
                    f"{where}: slug '{record.lookup_slug}' kommt schon in {seen[record.lookup_slug]} vor"
                )
            seen[record.lookup_slug] = where
            getattr(doc, kind).append(record)

    for source in doc.images.values():
        _decide_library_values(source)
    return doc


PARTNERSHIP_KEYS = {
    "slug", "partner_city", "native_name", "native_language", "country", "kind", "status",
    "status_changed_on", "status_reason", "first_contact_year", "since", "founded_on",
    "council_decision_on", "council_decision", "office", "contact", "summary", "description",
    "latitude", "longitude", "wikidata", "image", "projects",
}  # fmt: skip
PROJECT_KEYS = {"title", "year", "start", "end_year", "end", "summary", "participants", "themes"}
_ISO_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _read_date(reader, key):
    """A calendar day "YYYY-MM-DD", or None when absent."""
    value = reader.text(key)
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise reader.error(key, f"'{value}' ist kein Datum der Form JJJJ-MM-TT") from exc


def _read_choice(reader, key, choices, default):
    value = reader.text(key)
    if value is None:
        return default
    if value not in choices.values:
        raise reader.error(key, f"'{value}' unbekannt (erlaubt: {', '.join(choices.values)})")
    return value


def _read_coordinate(reader, key, limit):
    value = reader.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise reader.error(key, "muss eine Zahl sein")
    if not -limit <= value <= limit:
        raise reader.error(key, f"muss zwischen -{limit} und {limit} liegen")
    return Decimal(str(value)).quantize(COORDINATE_STEP)


def _read_validated(reader, key, validator, message, *, model, field_name):
    value = reader.text(key, max_length=_max_length(model, field_name))
    if value:
        try:
            validator(value)
        except ValidationError as exc:
            raise reader.error(key, message) from exc
    return value or ""


def _read_contact(reader, key="contact"):
    contact_reader = reader.child(key)
    if not contact_reader:
        return None
    contact_reader.only({"name", "role", "email", "phone"})
    contact = {
        "name": contact_reader.text("name", required=True, model=Contact),
        "email": contact_reader.text("email", model=Contact),
        "role": contact_reader.text("role", model=Contact),
        "phone": contact_reader.text("phone", model=Contact),
    }
    if contact["email"]:
        try:
            validate_email(contact["email"])
        except ValidationError as exc:
            raise contact_reader.error("email", "keine gültige E-Mail-Adresse") from exc
    return contact


def _read_partial_date(reader, key, year_key, *, end):
    """A project's beginning or end: ``year_key`` (an integer year, the older form) or ``key`` ("2020",
    "2020-10", "2020-10-30"); not both. Returns (date, precision) or (None, year precision)."""
    if reader.data.get(key) is not None and reader.data.get(year_key) is not None:
        raise reader.error(key, f"nur eines von {year_key} und {key} angeben")
    year = reader.integer(year_key, minimum=1, maximum=9999)
    if year is not None:
        return partial_dates.parse(str(year).zfill(4), end=end)
    value = reader.text(key)
    if value is None:
        return None, partial_dates.Precision.YEAR
    try:
        if not _ISO_PARTIAL_DATE.fullmatch(value):
            raise partial_dates.PartialDateError(value)
        return partial_dates.parse(value, end=end)
    except partial_dates.PartialDateError as exc:
        raise reader.error(
            key, f"'{value}' ist kein Jahr, Monat oder Tag (JJJJ, JJJJ-MM, JJJJ-MM-TT)"
        ) from exc


def _read_project(project):
    project.only(PROJECT_KEYS)
    title = project.text("title", required=True, model=Project)
    start, start_precision = _read_partial_date(project, "start", "year", end=False)
    end, end_precision = _read_partial_date(project, "end", "end_year", end=True)
    end_key = "end_year" if project.data.get("end_year") is not None else "end"
    if end is not None and start is None:
        raise project.error(end_key, "ein Ende ohne Beginn (year oder start) ist nicht möglich")
    if end is not None and end < start:
        raise project.error(end_key, "darf nicht vor dem Beginn liegen")
    themes = project.strings("themes", max_length=_max_length(Theme, "name"))
    values = {
        "start": start,
        "start_precision": start_precision,
        "end": end,
        "end_precision": end_precision,
        "summary": project.text("summary") or "",
        "participants": project.text("participants") or "",
    }
    return _Project(title=title, values=values, themes=themes)


def _read_partnership(reader, doc):
    reader.only(PARTNERSHIP_KEYS)
    slug = _read_slug(reader, _max_length(Partnership, "slug"))
    city = reader.text("partner_city", required=True, model=Partnership)
    country = reader.text("country", required=True)
    if not re.fullmatch(r"[A-Za-z]{2}", country):
        raise reader.error("country", "muss ein Ländercode aus zwei Buchstaben sein, z. B. „DE“")
    if country.upper() not in countries:
        raise reader.error("country", f"'{country}' ist kein Ländercode nach ISO 3166-1")
    values = {
        "partner_city": city,
        "native_name": reader.text("native_name", model=Partnership) or "",
        "native_language": _read_validated(
            reader, "native_language", language_validator, "kein Sprachkürzel nach BCP 47, z. B. „pl“",
            model=Partnership, field_name="native_language",
        ),
        "country": country.upper(),
        "kind": _read_choice(reader, "kind", Partnership.Kind, Partnership.Kind.PARTNERSHIP),
        "status": _read_choice(reader, "status", Partnership.Status, Partnership.Status.ACTIVE),
        "status_changed_on": _read_date(reader, "status_changed_on"),
        "status_reason": reader.text("status_reason") or "",
        "first_contact_year": reader.integer("first_contact_year", minimum=1, maximum=9999),
        "since": reader.integer("since", minimum=1, maximum=9999),
        "founded_on": _read_date(reader, "founded_on"),
        "council_decision_on": _read_date(reader, "council_decision_on"),
        "council_decision": reader.text("council_decision", model=Partnership) or "",
        "office": reader.text("office", model=Partnership) or "",
        "summary": reader.text("summary") or "",
        "description": sanitize_html(reader.text("description") or ""),
        "latitude": _read_coordinate(reader, "latitude", 90),
        "longitude": _read_coordinate(reader, "longitude", 180),
        "wikidata_id": _read_validated(
            reader, "wikidata", wikidata_validator, "keine Wikidata-Kennung wie „Q2795“",
            model=Partnership, field_name="wikidata_id",
        ),
    }  # fmt: skip
    if values["native_name"] and not values["native_language"]:
        raise reader.error("native_language", "fehlt (die Sprache von native_name)")
    if values["status"] != Partnership.Status.ACTIVE and values["status_changed_on"] is None:
        raise reader.error("status_changed_on", f"fehlt (seit wann die Partnerschaft {values['status']} ist)")
    founded_on = values["founded_on"]
    if founded_on and values["since"] is not None and values["since"] != founded_on.year:
        raise reader.error("since", f"passt nicht zu founded_on ({founded_on.isoformat()})")
    if founded_on and values["since"] is None:
        values["since"] = founded_on.year
    if values["first_contact_year"] and values["since"] and values["first_contact_year"] > values["since"]:
        raise reader.error("first_contact_year", "darf nicht nach der Gründung (since) liegen")
    if (values["latitude"] is None) != (values["longitude"] is None):
        raise reader.error("longitude" if values["longitude"] is None else "latitude", "fehlt (nur zusammen)")
    image_reader = reader.child("image")
    projects, titles = [], set()
    for path, item in reader.items("projects"):
        project = _read_project(_Reader(item, reader.where, path))
        if project.title in titles:
            raise InterchangeError(
                f"{reader.where}: {path}.title: '{project.title}' kommt in dieser Partnerschaft doppelt vor"
            )
        titles.add(project.title)
        projects.append(project)
    lookup = slug or german_slugify(
        city, max_length=_max_length(Partnership, "slug"), fallback="partnerschaft"
    )
    return _Partnership(
        where=reader.where,
        slug=slug,
        lookup_slug=lookup,
        values=values,
        projects=projects,
        contact=_read_contact(reader),
        image=_read_image(image_reader, doc) if image_reader else None,
    )


def _read_published_at(reader):
    value = reader.text("published_at")
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise reader.error(
            "published_at", "kein Zeitpunkt nach ISO 8601, z. B. 2021-01-28T11:00:00+01:00"
        ) from exc
    if moment.tzinfo is None:
        raise reader.error("published_at", "Zeitzone fehlt, z. B. 2021-01-28T11:00:00+01:00")
    return moment


def _read_release(reader, doc):
    reader.only(
        {"slug", "language", "kicker", "title", "subtitle", "lead", "published_at", "status", "tags",
         "image", "blocks", "partnerships", "projects", "contact"}
    )  # fmt: skip
    slug = _read_slug(reader, SLUG_MAX_LENGTH)
    title = reader.text("title", required=True, model=PressRelease)
    status = reader.text("status") or PressRelease.Status.DRAFT
    if status not in PressRelease.Status.values:
        raise reader.error(
            "status", f"'{status}' unbekannt (erlaubt: {', '.join(PressRelease.Status.values)})"
        )
    values = {
        "language": reader.text("language", model=PressRelease) or "de",
        "kicker": reader.text("kicker", model=PressRelease) or "",
        "title": title,
        "subtitle": reader.text("subtitle", model=PressRelease) or "",
        "lead": reader.text("lead") or "",
        "status": status,
    }
    published_at = _read_published_at(reader)
    tags = reader.strings("tags", max_length=100)
    image_reader = reader.child("image")
    image = _read_image(image_reader, doc) if image_reader else None
    blocks = [_read_block(_Reader(item, reader.where, path), doc) for path, item in reader.items("blocks")]
    partnerships = reader.strings("partnerships", max_length=_max_length(Partnership, "slug"))
    contact = _read_contact(reader)
    projects = []
    for path, item in reader.items("projects"):
        named = _Reader(item, reader.where, path)
        named.only({"partnership", "title"})
        projects.append(
            (
                path,
                named.text("partnership", required=True, max_length=_max_length(Partnership, "slug")),
                named.text("title", required=True, model=Project),
            )
        )
    lookup = slug or german_slugify(title, max_length=SLUG_MAX_LENGTH, fallback="pressemitteilung")
    return _Release(
        where=reader.where,
        slug=slug,
        lookup_slug=lookup,
        values=values,
        published_at=published_at,
        tags=tags,
        image=image,
        blocks=blocks,
        partnerships=partnerships,
        contact=contact,
        projects=projects,
    )


def _read_block(reader, doc):
    kind = reader.text("type", required=True)
    if kind not in BLOCK_TYPES:
        raise reader.error("type", f"'{kind}' unbekannt (erlaubt: {', '.join(BLOCK_TYPES)})")
    model = BLOCK_TYPES[kind]
    if kind == "text":
        reader.only({"type", "html"})
        return _Block(model, {"html": reader.text("html", required=True)})
    if kind == "background":
        reader.only({"type", "title", "html"})
        title = reader.text("title", required=True, model=BackgroundBlock)
        return _Block(model, {"title": title, "html": reader.text("html", required=True)})
    if kind == "quote":
        reader.only({"type", "text", "speaker"})
        text = reader.text("text", required=True)
        speaker = reader.child("speaker", required=True)
        speaker.only({"name", "honorific", "role", "organisation"})
        return _Block(
            model,
            {"text": text},
            speaker=_Speaker(
                name=speaker.text("name", required=True, model=Person),
                honorific=speaker.text("honorific", model=Person),
                role=speaker.text("role", model=QuoteBlock),
                organisation=speaker.text("organisation", model=QuoteBlock),
            ),
        )
    return _Block(model, {}, image=_read_image(reader, doc, extra_keys={"type"}))


def _read_image(reader, doc, extra_keys=()):
    reader.only(IMAGE_KEYS | set(extra_keys))
    source = _load_image_file(reader, doc)
    decorative = reader.flag("decorative")
    alt = reader.text("alt", max_length=_max_length(Image, "alt_text"))
    if decorative and alt:
        raise reader.error("alt", 'muss bei "decorative": true leer bleiben')
    if not decorative and not (alt or "").strip():
        raise reader.error("alt", 'fehlt (oder "decorative": true angeben)')
    given = {}
    for key in IMAGE_TEXT_KEYS:
        value = reader.text(key, model=Image)
        if value is not None:
            given[key] = value
    for key in IMAGE_DATE_KEYS:
        value = reader.text(key)
        if value is not None:
            try:
                given[key] = date.fromisoformat(value)
            except ValueError as exc:
                raise reader.error(key, "kein Datum nach ISO 8601, z. B. 2026-12-31") from exc
    for key in ("focal_x", "focal_y"):
        value = reader.integer(key, minimum=0, maximum=100)
        if value is not None:
            given[key] = value
    license_name = reader.text("license", max_length=_max_length(License, "name"))
    license_url = reader.text("license_url", max_length=_max_length(License, "url"))
    if license_url:
        if not license_name:
            raise reader.error("license_url", "nur zusammen mit license")
        try:
            URLValidator(schemes=["http", "https"])(license_url)
        except ValidationError as exc:
            raise reader.error("license_url", "keine gültige http(s)-Adresse") from exc
    if license_name is not None:
        given["license"] = license_name
    if license_url is not None:
        given["license_url"] = license_url
    use = _ImageUse(
        source=source,
        where=reader.where,
        path=reader.path,
        alt="" if decorative else alt,
        decorative=decorative,
        caption=reader.text("caption") or "",
        given=given,
    )
    source.uses.append(use)
    return use


def _load_image_file(reader, doc):
    value = reader.text("file", required=True)
    relative = PurePosixPath(value)
    if relative.is_absolute() or ".." in relative.parts or "\\" in value:
        raise reader.error("file", "muss ein Pfad relativ zur JSON-Datei sein, ohne „..“")
    key = str(relative)
    if len(key) > _max_length(Image, "original_filename"):
        raise reader.error("file", "Pfad ist zu lang")
    if key in doc.images:
        return doc.images[key]
    location = doc.base_dir / key
    if not location.is_file():
        raise reader.error("file", f"Datei '{key}' nicht gefunden")
    with location.open("rb") as handle:
        raw_digest = hashlib.file_digest(handle, "sha256").hexdigest()
        try:
            cleaned = clean_image_upload(File(handle, name=location.name))
        except ValidationError as exc:
            raise reader.error("file", f"'{key}': " + " ".join(exc.messages)) from exc
    clean_bytes = cleaned.read()
    with PILImage.open(io.BytesIO(clean_bytes)) as probe:
        width, height = probe.size
    source = _ImageSource(
        path=key,
        raw_digest=raw_digest,
        clean_name=cleaned.name,
        clean_bytes=clean_bytes,
        width=width,
        height=height,
    )
    doc.images[key] = source
    return source


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
                    _one_line(
                        f"{use.where}: {use.path}.{key}: '{source.path}' steht an anderer Stelle mit anderem Wert "
                        f"({other.where}: {other.path}.{key})"
                    )
                )
        if stated:
            library[key] = stated[0][1]
    source.library = library


# --------------------------------------------------------------------------------------------------
# Writing: a checked _Document → database rows, inside one transaction.


@dataclass
class ImportResult:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)

    def count(self, kind, created=False, changed=True):
        bucket = self.created if created else self.updated if changed else self.unchanged
        bucket[kind] = bucket.get(kind, 0) + 1

    def summary(self):
        kinds = [
            "Städtepartnerschaften",
            "Projekte",
            "Bilder",
            "Personen",
            "Pressekontakte",
            "Pressemitteilungen",
        ]
        parts = []
        for kind in kinds:
            numbers = (self.created.get(kind, 0), self.updated.get(kind, 0), self.unchanged.get(kind, 0))
            if any(numbers):
                parts.append(f"{kind}: {numbers[0]} neu, {numbers[1]} geändert, {numbers[2]} unverändert")
        return "; ".join(parts) or "Nichts zu importieren."


def _assign(instance, values):
    """Set ``values`` on ``instance``; return True if any of them differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def import_file(path):
    """Import the interchange file at ``path``; image paths are relative to its folder."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InterchangeError(f"{path}: Datei nicht gefunden") from exc
    except UnicodeDecodeError as exc:
        raise InterchangeError(f"{path}: keine UTF-8-Datei") from exc
    try:
        data = json.loads(text, object_pairs_hook=_without_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{path}: kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}): {exc.msg}"
        ) from exc
    except _DuplicateKey as exc:
        raise InterchangeError(f"{path}: Feld '{exc.args[0]}' steht in einem Objekt doppelt") from exc
    return import_data(data, path.parent)


class _DuplicateKey(Exception):
    pass


def _without_duplicate_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def import_data(data, base_dir):
    """Import already parsed JSON ``data``; all or nothing."""
    doc = read_document(data, base_dir)
    stored_files = []
    done = False
    try:
        with transaction.atomic():
            result = _write(doc, stored_files)
        done = True
        return result
    finally:
        if not done:
            # The rows are rolled back; the image files written for them are removed too.
            for storage, name in stored_files:
                storage.delete(name)


def _write(doc, stored_files):
    result = ImportResult()
    claimed = set()  # two paths with the same content stay two images, each with its own values
    for source in doc.images.values():
        with _errors_named(f"{source.uses[0].where}: {source.uses[0].path}.file"):
            _write_image(source, claimed, result, stored_files)
        claimed.add(source.image.pk)
    for partnership in doc.partnerships:
        with _errors_named(partnership.where):
            _write_partnership(partnership, result)
    people = {}
    for release in doc.releases:
        with _errors_named(release.where):
            for block in release.blocks:
                if block.speaker:
                    _write_speaker(block.speaker, people, result)
    slugs = {slug for release in doc.releases for slug in release.partnerships}
    partnerships = {p.slug: p for p in Partnership.objects.filter(slug__in=slugs)}
    named = {slug for release in doc.releases for _, slug, _ in release.projects}
    projects = {
        (project.partnership.slug, project.title): project
        for project in Project.objects.filter(partnership__slug__in=named).select_related("partnership")
    }
    for release in doc.releases:
        with _errors_named(release.where):
            _write_release(release, people, partnerships, projects, result)
    return result


@contextmanager
def _errors_named(where):
    """Turn database and model errors raised while writing one record into one-line InterchangeErrors."""
    try:
        yield
    except ValidationError as exc:
        raise InterchangeError(_one_line(f"{where}: {' '.join(exc.messages)}")) from exc
    except DatabaseError as exc:
        raise InterchangeError(_one_line(f"{where}: Datenbankfehler: {exc}")) from exc


def _write_partnership(spec, result):
    partnership = Partnership.objects.filter(slug=spec.lookup_slug).first()
    created = partnership is None
    if created:
        partnership = Partnership(slug=spec.slug or "")
    values = dict(spec.values)
    if spec.image:
        alt, caption = spec.image.overrides()
        values.update(image_id=spec.image.source.image.pk, image_alt=alt, image_caption=caption)
    else:
        values.update(image_id=None, image_alt="", image_caption="")
    values["contact_id"] = _write_contact(spec.contact, result).pk if spec.contact else None
    changed = _assign(partnership, values)
    if changed:
        partnership.save()
    existing = {} if created else {project.title: project for project in partnership.projects.all()}
    projects_changed = False
    for project_spec in spec.projects:
        project = existing.pop(project_spec.title, None)
        project_created = project is None
        if project_created:
            project = Project(partnership=partnership, title=project_spec.title)
        project_changed = _assign(project, project_spec.values)
        if project_changed or project_created:
            project.save()
        current = set() if project_created else {theme.name for theme in project.themes.all()}
        if current != set(project_spec.themes):
            project.themes.set([Theme.objects.get_or_create(name=name)[0] for name in project_spec.themes])
            project_changed = True
        result.count("Projekte", created=project_created, changed=project_changed)
        projects_changed |= project_created or project_changed
    for project in existing.values():
        project.delete()
        projects_changed = True
    result.count("Städtepartnerschaften", created=created, changed=changed or projects_changed)


def _find_image(source, claimed):
    """The library image with the same content: the file as exported (raw bytes equal to the
    stored ones) or the same original re-encoded again, found by the stored file's SHA-256
    (``Image.content_hash``, indexed) in one query; images with the same path in the file first."""
    return (
        Image.objects.filter(content_hash__in={source.raw_digest, source.clean_digest})
        .exclude(pk__in=claimed)
        .select_related("license")
        .annotate(same_path=Case(When(original_filename=source.path, then=Value(0)), default=Value(1)))
        .order_by("same_path", "pk")
        .first()
    )


def _write_image(source, claimed, result, stored_files):
    image = _find_image(source, claimed)
    created = image is None
    values = {key: value for key, value in source.library.items() if key not in ("license", "license_url")}
    if "license" in source.library:
        license_, _ = License.objects.get_or_create(name=source.library["license"])
        url = source.library.get("license_url")
        if url is not None and license_.url != url:
            license_.url = url
            license_.save(update_fields=["url"])
        values["license"] = license_
    if created:
        file_field = Image._meta.get_field("file")
        name = file_field.storage.save(
            file_field.generate_filename(None, source.clean_name), ContentFile(source.clean_bytes)
        )
        stored_files.append((file_field.storage, name))
        image = Image(original_filename=source.path, file=name)  # reads width and height from the file
    changed = _assign(image, values)
    if created or changed:
        image.save()
    source.image = image
    result.count("Bilder", created=created, changed=changed)


def _write_speaker(speaker, people, result):
    person = people.get(speaker.name)
    first_time = person is None
    if first_time:
        person, created = Person.objects.get_or_create(
            name=speaker.name, note="", defaults={"honorific": speaker.honorific or ""}
        )
        people[speaker.name] = person
    changed = speaker.honorific is not None and person.honorific != speaker.honorific
    if changed:
        person.honorific = speaker.honorific
        person.save(update_fields=["honorific"])
    if first_time:
        result.count("Personen", created=created, changed=changed)
    if speaker.role and speaker.organisation:
        # An office without dates, so that later quotes without a role can be attributed.
        Office.objects.get_or_create(person=person, role=speaker.role, organisation=speaker.organisation)


def _write_contact(spec, result):
    contact, created = Contact.objects.get_or_create(name=spec["name"], email=spec["email"] or "")
    values = {key: spec[key] for key in ("role", "phone") if spec[key] is not None}
    changed = _assign(contact, values)
    if changed:
        contact.save()
    result.count("Pressekontakte", created=created, changed=changed)
    return contact


def _write_release(spec, people, partnerships, projects, result):
    missing = [slug for slug in spec.partnerships if slug not in partnerships]
    if missing:
        index = spec.partnerships.index(missing[0])
        raise InterchangeError(
            f"{spec.where}: partnerships[{index}]: Städtepartnerschaft '{missing[0]}' unbekannt"
        )
    release = PressRelease.objects.filter(slug=spec.lookup_slug).first()
    created = release is None
    if created:
        release = PressRelease(slug=spec.slug or "")
    values = dict(spec.values)
    if spec.published_at is not None:
        values["published_at"] = spec.published_at
    elif created:
        values["published_at"] = timezone.now()
    if spec.image:
        alt, caption = spec.image.overrides()
        values.update(image_id=spec.image.source.image.pk, image_alt=alt, image_caption=caption)
    else:
        values.update(image_id=None, image_alt="", image_caption="")
    values["contact_id"] = _write_contact(spec.contact, result).pk if spec.contact else None
    changed = _assign(release, values)
    if changed:
        release.save()

    current_tags = set() if created else {tag.name.casefold() for tag in release.tags.all()}
    if current_tags != {tag.casefold() for tag in spec.tags}:
        release.tags.set(spec.tags)
        changed = True
    wanted = {partnerships[slug].pk for slug in spec.partnerships}
    if created or set(release.partnerships.values_list("pk", flat=True)) != wanted:
        release.partnerships.set(wanted)
        changed = True
    wanted = set()
    for path, slug, title in spec.projects:
        if (slug, title) not in projects:
            raise InterchangeError(
                f"{spec.where}: {path}: Projekt '{title}' der Städtepartnerschaft '{slug}' unbekannt"
            )
        wanted.add(projects[slug, title].pk)
    if (not created or wanted) and set(release.projects.values_list("pk", flat=True)) != wanted:
        release.projects.set(wanted)
        changed = True

    blocks = _wanted_blocks(spec, release, people)
    # Only the sequence counts: blocks in the same order with other ordering numbers are left alone.
    if created or _current_blocks(release) != [(model, values) for model, _, values in blocks]:
        for model in BLOCK_MODELS:
            model.objects.filter(parent=release).delete()
        for model, ordering, block_values in blocks:
            block = model(parent=release, region=REGION, ordering=ordering, **block_values)
            if model is QuoteBlock:
                # bulk_create skips QuoteBlock.save(), which would fill an empty role or
                # organisation from the person's office: the file's values are kept as they are.
                QuoteBlock.objects.bulk_create([block])
            else:
                block.save()
        changed = True
    if changed:
        # Lands in the file's status, "published" included, even with gaps (listed on the press desk).
        workflow.record_import(release, created)
    result.count("Pressemitteilungen", created=created, changed=changed)


def _wanted_blocks(spec, release, people):
    day = timezone.localdate(release.published_at)
    blocks = []
    for index, block in enumerate(spec.blocks, start=1):
        values = dict(block.values)
        if "html" in values:
            values["html"] = sanitize_html(values["html"])
        if block.speaker:
            person = people[block.speaker.name]
            role, organisation = block.speaker.role, block.speaker.organisation
            # Not stated in the file: as stated by the person's office on the release date.
            office = person.office_on(day) if role is None or organisation is None else None
            if role is None:
                role = office.role if office else ""
            if organisation is None:
                organisation = office.organisation if office else ""
            values.update(speaker_id=person.pk, role=role, organisation=organisation)
        if block.image:
            alt, caption = block.image.overrides()
            values.update(image_id=block.image.source.image.pk, alt_text=alt, caption=caption)
        blocks.append((block.model, index * ORDERING_STEP, values))
    return blocks


_BLOCK_FIELDS = {
    TextBlock: ("html",),
    QuoteBlock: ("text", "speaker_id", "role", "organisation"),
    ImageBlock: ("image_id", "alt_text", "caption"),
    BackgroundBlock: ("title", "html"),
}


def _current_blocks(release):
    """The release's blocks as (model, values), in the order the export writes them."""
    rows = []
    for index, model in enumerate(BLOCK_MODELS):
        for block in model.objects.filter(parent=release):
            if block.region != REGION:
                return None  # something the format cannot express: rewrite
            values = {name: getattr(block, name) for name in _BLOCK_FIELDS[model]}
            rows.append((block.ordering, index, block.pk, model, values))
    rows.sort(key=lambda row: row[:3])
    return [(model, values) for *_, model, values in rows]


# --------------------------------------------------------------------------------------------------
# Export: database → content.json + images/, in a stable order.


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
