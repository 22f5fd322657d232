"""Import: a read file (``reading.Plan``) → database rows, all in one transaction.

The importer knows no rule of the content. It sets each row's values as the file gives them, asks the
model (``full_clean()``, constraints included) and reports the model's own message at the place in the
file it came from. A row is saved only when one of its values differs, so importing the same file twice
changes nothing. Releases are written through the workflow (``press.workflow.record_import``).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Case, Value, When
from taggit.models import Tag

from cityhall.library.models import Contact, Image, License, Office, Person
from cityhall.library.richtext import sanitize_html
from cityhall.library.text import normalise_instance
from partnerships import dates as partial_dates
from partnerships.models import Partnership, Project, Theme
from press import workflow
from press.models import BLOCK_MODELS, BackgroundBlock, ImageBlock, PressRelease, QuoteBlock, TextBlock
from press.models.numbers import follow_counter

from .errors import InterchangeError, full_clean, join_path, located, model_error, one_line
from .reading import parse_file, read

REGION = "body"
ORDERING_STEP = 10
PROGRESS_EVERY = 100  # releases between two progress reports
BLOCK_TYPES = {"text": TextBlock, "quote": QuoteBlock, "image": ImageBlock, "background": BackgroundBlock}

# Model field → JSON key, where they differ (for placing the model's messages).
USE_KEYS = {"image_alt": "image.alt", "image_caption": "image.caption"}
PARTNERSHIP_KEYS = {**USE_KEYS, "wikidata_id": "wikidata"}
IMAGE_KEYS = {"alt_text": "alt", "original_filename": "file", "file": "file"}
BLOCK_KEYS = {
    QuoteBlock: {"role": "speaker.role", "organisation": "speaker.organisation"},
    ImageBlock: {"alt_text": "alt"},
}
LICENSE_KEYS = {"name": "license", "url": "license_url"}


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


def import_file(path, progress=None):
    """Import the interchange file at ``path``; image paths are relative to its folder.
    ``progress(done, total)`` is called as the releases are written."""
    return import_data(parse_file(path), Path(path).parent, progress)


def import_data(data, base_dir, progress=None):
    """Import already parsed JSON ``data``; all or nothing."""
    plan = read(data, base_dir)
    stored_files = []
    done = False
    try:
        with transaction.atomic():
            result = _Writer(stored_files, progress).write(plan)
        done = True
        return result
    finally:
        if not done:
            # The rows are rolled back; the image files written for them are removed too.
            for storage, name in stored_files:
                storage.delete(name)


def _defaults(model, values):
    """``values`` with None (absent from the file) replaced by the field's default: a record the
    file contains is written as a whole."""
    return {
        name: model._meta.get_field(name).get_default() if value is None else value
        for name, value in values.items()
    }


def _update(instance, values, clean):
    """Set ``values``, let the model check (and normalise) them; True if a stored value differs."""
    before = {name: getattr(instance, name) for name in values}
    for name, value in values.items():
        setattr(instance, name, value)
    normalise_instance(instance)  # as saving will: a file with Word's soft hyphens compares unchanged
    clean()
    return any(getattr(instance, name) != before[name] for name in values)


def _use_values(use, prefix):
    """The image of a release or partnership and what this use shows differently."""
    if use is None:
        return {f"{prefix}_id": None, f"{prefix}_alt": "", f"{prefix}_caption": ""}
    alt, caption = use.overrides()
    return {f"{prefix}_id": use.source.image.pk, f"{prefix}_alt": alt, f"{prefix}_caption": caption}


class _Writer:
    def __init__(self, stored_files, progress=None):
        self.stored_files = stored_files
        self.progress = progress or (lambda done, total: None)
        self.result = ImportResult()
        self.people = {}

    def write(self, plan):
        claimed = set()  # two paths with the same content stay two images, each with its own values
        for source in plan.images.values():
            self.image(source, claimed)
            claimed.add(source.image.pk)
        for record in plan.partnerships:
            with _database_errors(record.where):
                self.partnership(record)
        partnerships = {p.slug: p for p in Partnership.objects.all()}
        projects = {(p.partnership.slug, p.title): p for p in Project.objects.select_related("partnership")}
        total = len(plan.releases)
        for done, record in enumerate(plan.releases, 1):
            with _database_errors(record.where):
                self.release(record, partnerships, projects)
            if done % PROGRESS_EVERY == 0 or done == total:
                self.progress(done, total)
        return self.result

    # --- shared rows: images, licences, contacts, people -----------------------------------------

    def image(self, source, claimed):
        image = (
            Image.objects.filter(content_hash__in={source.raw_digest, source.clean_digest})
            .exclude(pk__in=claimed)
            .select_related("license")
            .annotate(same_path=Case(When(original_filename=source.path, then=Value(0)), default=Value(1)))
            .order_by("same_path", "pk")
            .first()
        )  # the same content: as exported (raw bytes) or re-encoded again; the same path first
        created = image is None
        values = {
            key: value for key, value in source.library.items() if key not in ("license", "license_url")
        }
        if "license" in source.library:
            values["license"] = self.license(source)
        if created:
            file_field = Image._meta.get_field("file")
            name = file_field.storage.save(
                file_field.generate_filename(None, source.clean_name), ContentFile(source.clean_bytes)
            )
            self.stored_files.append((file_field.storage, name))
            image = Image(original_filename=source.path, file=name)  # reads width and height from the file

        def clean():
            try:
                # The file itself was checked on reading; a stored one is not read again.
                image.full_clean(exclude=None if created else ["file"])
            except ValidationError as exc:
                first = next(iter(getattr(exc, "error_dict", {"": None})))
                where, path = source.where(IMAGE_KEYS.get(first, first))
                raise model_error(exc, where, path, IMAGE_KEYS) from exc

        changed = _update(image, values, clean)
        if created or changed:
            image.save()
        source.image = image
        self.result.count("Bilder", created=created, changed=changed)

    def license(self, source):
        licence = License.objects.filter(name=source.library["license"]).first()
        created = licence is None
        if created:
            licence = License(name=source.library["license"])
        values = {"url": source.library["license_url"]} if "license_url" in source.library else {}
        where, path = source.where("license_url" if values else "license")
        changed = _update(
            licence, values, lambda: full_clean(licence, where, path.rsplit(".", 1)[0], LICENSE_KEYS)
        )
        if created or changed:
            licence.save()
        return licence

    def contact(self, spec, where, path="contact"):
        contact = Contact.objects.filter(name=spec.name, email=spec.email or "").first()
        created = contact is None
        if created:
            contact = Contact(name=spec.name, email=spec.email or "")
        values = {key: getattr(spec, key) for key in ("role", "phone") if getattr(spec, key) is not None}
        changed = _update(contact, values, lambda: full_clean(contact, where, path))
        if created or changed:
            contact.save()
        self.result.count("Pressekontakte", created=created, changed=changed)
        return contact

    def speaker(self, speaker, where, path):
        """The person quoted: looked up by name among people without an internal note."""
        person = self.people.get(speaker.name)
        if person is None:
            person = Person.objects.filter(name=speaker.name, note="").first()
            created = person is None
            if created:
                person = Person(name=speaker.name, note="")
            values = {"honorific": speaker.honorific} if speaker.honorific is not None else {}
            changed = _update(person, values, lambda: full_clean(person, where, path))
            if created or changed:
                person.save()
            self.people[speaker.name] = person
            self.result.count("Personen", created=created, changed=changed)
        if speaker.role and speaker.organisation:
            # An office without dates, so that later quotes without a role can be attributed.
            office = Office.objects.filter(
                person=person, role=speaker.role, organisation=speaker.organisation
            )
            if not office.exists():
                office = Office(person=person, role=speaker.role, organisation=speaker.organisation)
                full_clean(office, where, path)
                office.save()
        return person

    # --- partnerships and their projects ---------------------------------------------------------

    def partnership(self, record):
        spec, where = record.data, record.where
        partnership = Partnership.objects.filter(slug=record.lookup_slug).first()
        created = partnership is None
        if created:
            partnership = Partnership(slug=spec.slug or "", partner_city=spec.partner_city)
            partnership.fill_slug()  # the model's slug, as the lookup expected it
        values = _defaults(
            Partnership,
            {
                "partner_city": spec.partner_city,
                "native_name": spec.native_name,
                "native_language": spec.native_language,
                "country": spec.country.upper(),  # the format allows any case
                "kind": spec.kind,
                "status": spec.status,
                "status_changed_on": spec.status_changed_on,
                "status_reason": spec.status_reason,
                "first_contact_year": spec.first_contact_year,
                "since": spec.since,
                "founded_on": spec.founded_on,
                "council_decision_on": spec.council_decision_on,
                "council_decision": spec.council_decision,
                "office": spec.office,
                "summary": spec.summary,
                "description": sanitize_html(spec.description or ""),  # as the field stores it
                "latitude": _coordinate(spec.latitude, "latitude"),
                "longitude": _coordinate(spec.longitude, "longitude"),
                "wikidata_id": spec.wikidata,
            },
        )
        values.update(_use_values(record.image, "image"))
        values["contact_id"] = self.contact(spec.contact, where).pk if spec.contact else None
        changed = _update(partnership, values, lambda: full_clean(partnership, where, "", PARTNERSHIP_KEYS))
        if created or changed:
            partnership.save()
        existing = {} if created else {project.title: project for project in partnership.projects.all()}
        projects_changed = False
        for index, project_spec in enumerate(spec.projects or []):
            projects_changed |= self.project(partnership, existing, project_spec, where, f"projects[{index}]")
        for project in existing.values():
            project.delete()
            projects_changed = True
        self.result.count("Städtepartnerschaften", created=created, changed=changed or projects_changed)

    def project(self, partnership, existing, spec, where, path):
        project = existing.pop(spec.title, None)
        created = project is None
        if created:
            project = Project(partnership=partnership, title=spec.title)
        start, start_precision, start_key = _partial_date(spec, "start", "year", where, path, end=False)
        end, end_precision, end_key = _partial_date(spec, "end", "end_year", where, path, end=True)
        values = _defaults(
            Project,
            {
                "start": start,
                "start_precision": start_precision,
                "end": end,
                "end_precision": end_precision,
                "summary": spec.summary,
                "participants": spec.participants,
            },
        )
        keys = {"start": start_key, "start_precision": start_key, "end": end_key, "end_precision": end_key}
        changed = _update(project, values, lambda: full_clean(project, where, path, keys))
        if created or changed:
            project.save()
        themes = spec.themes or []
        current = set() if created else {theme.name for theme in project.themes.all()}
        if current != set(themes):
            project.themes.set(
                [self.theme(name, where, f"{path}.themes[{n}]") for n, name in enumerate(themes)]
            )
            changed = True
        self.result.count("Projekte", created=created, changed=changed)
        return created or changed

    def theme(self, name, where, path):
        theme = Theme.objects.filter(name=name).first()
        if theme is None:
            theme = Theme(name=name)
            full_clean(theme, where, path, {"name": ""})
            theme.save()
        return theme

    # --- releases and their blocks ---------------------------------------------------------------

    def release(self, record, partnerships, projects):
        spec, where = record.data, record.where
        for index, slug in enumerate(spec.partnerships or []):
            if slug not in partnerships:
                raise located(where, f"partnerships[{index}]", f"Städtepartnerschaft '{slug}' unbekannt")
        wanted_projects = set()
        for index, named in enumerate(spec.projects or []):
            if (named.partnership, named.title) not in projects:
                raise located(
                    where,
                    f"projects[{index}]",
                    f"Projekt '{named.title}' der Städtepartnerschaft '{named.partnership}' unbekannt",
                )
            wanted_projects.add(projects[named.partnership, named.title].pk)
        release = PressRelease.objects.filter(slug=record.lookup_slug).first()
        created = release is None
        if created:
            release = PressRelease(slug=spec.slug or "")
        values = _defaults(
            PressRelease,
            {
                "language": spec.language,
                "kicker": spec.kicker,
                "title": spec.title,
                "subtitle": spec.subtitle,
                "lead": spec.lead,
                "status": spec.status,
                "browser_title": spec.browser_title,
                "meta_description": spec.meta_description,
                "social_text": spec.social_text,
            },
        )
        if spec.published_at is not None:  # else: now for a new release, unchanged for an existing one
            values["published_at"] = spec.published_at
        if spec.number is not None or spec.number_year is not None:  # else: kept, or given at publication
            values["number"], values["number_year"] = spec.number, spec.number_year
        values.update(_use_values(record.image, "image"))
        values["contact_id"] = self.contact(spec.contact, where).pk if spec.contact else None
        changed = _update(release, values, lambda: full_clean(release, where, "", USE_KEYS))
        if created or changed:
            release.save()
            if release.number is not None:
                follow_counter(release.number_year, release.number)  # never given again at publication

        tags = _tags(spec.tags or [], where)
        current_tags = set() if created else {tag.name.casefold() for tag in release.tags.all()}
        if current_tags != {tag.casefold() for tag in tags}:
            release.tags.set(tags)
            changed = True
        wanted = {partnerships[slug].pk for slug in spec.partnerships or []}
        if created or set(release.partnerships.values_list("pk", flat=True)) != wanted:
            release.partnerships.set(wanted)
            changed = True
        if (not created or wanted_projects) and set(
            release.projects.values_list("pk", flat=True)
        ) != wanted_projects:
            release.projects.set(wanted_projects)
            changed = True

        blocks = [self.block(release, record, index, block) for index, block in enumerate(spec.blocks or [])]
        # Only the sequence counts: blocks in the same order with other ordering numbers are left alone.
        if created or _current_blocks(release) != [_block_values(block) for block in blocks]:
            for model in BLOCK_MODELS:
                model.objects.filter(parent=release).delete()
            for block in blocks:
                if isinstance(block, QuoteBlock):
                    # bulk_create skips QuoteBlock.save(), which would fill a role or organisation
                    # given empty from the person's office: the file's values are kept as they are.
                    # It skips pre_save too: block() normalised the text as every save does.
                    QuoteBlock.objects.bulk_create([block])
                else:
                    block.save()
            changed = True
        if changed:
            # Lands in the file's status, "published" included, even with gaps (listed on the press desk).
            workflow.record_import(release, created)
        self.result.count("Pressemitteilungen", created=created, changed=changed)

    def block(self, release, record, index, spec):
        """The block as the model will store it, checked by the model."""
        path = f"blocks[{index}]"
        block = BLOCK_TYPES[spec.type](parent=release, region=REGION, ordering=(index + 1) * ORDERING_STEP)
        if spec.type == "text":
            block.html = spec.html  # full_clean() sanitises it, and refuses it if nothing is left
        elif spec.type == "background":
            block.title, block.html = spec.title, spec.html
        elif spec.type == "quote":
            block.text = spec.text
            block.speaker = self.speaker(spec.speaker, record.where, join_path(path, "speaker"))
            role, organisation = spec.speaker.role, spec.speaker.organisation
            block.role, block.organisation = role or "", organisation or ""
            if role is None or organisation is None:
                # Not stated in the file: as stated by the person's office on the release date.
                block.fill_role_from_office()
                block.role = block.role if role is None else role
                block.organisation = block.organisation if organisation is None else organisation
        else:
            use = record.block_images[index]
            block.image = use.source.image
            block.alt_text, block.caption = use.overrides()
        normalise_instance(block)  # as saving would (bulk_create does not), so unchanged blocks compare equal
        full_clean(block, record.where, path, BLOCK_KEYS.get(type(block)))
        return block


def _coordinate(value, name):
    """A JSON number as the column stores it (its decimal places)."""
    if value is None:
        return None
    places = Partnership._meta.get_field(name).decimal_places
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def _partial_date(spec, key, year_key, where, path, *, end):
    """A project's beginning or end: ``year_key`` (an integer year, the older form) or ``key``
    ("2020", "2020-10", "2020-10-30"). Returns (date, precision, the key it came from)."""
    year = getattr(spec, year_key)
    text, used = (str(year).zfill(4), year_key) if year is not None else (getattr(spec, key), key)
    if text is None:
        return None, partial_dates.Precision.YEAR, key
    try:
        return (*partial_dates.parse(text, end=end), used)
    except partial_dates.PartialDateError as exc:
        raise located(
            where,
            join_path(path, used),
            f"'{text}' ist kein Jahr, Monat oder Tag (JJJJ, JJJJ-MM, JJJJ-MM-TT)",
        ) from exc


def _tags(names, where):
    """The tag names, checked by the tag model, duplicates (ignoring case) dropped, order kept."""
    result, seen = [], set()
    for index, name in enumerate(names):
        try:
            Tag(name=name).clean_fields(exclude=["slug"])
        except ValidationError as exc:
            raise model_error(exc, where, f"tags[{index}]", {"name": ""}) from exc
        if name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


_BLOCK_FIELDS = {
    TextBlock: ("html",),
    QuoteBlock: ("text", "speaker_id", "role", "organisation"),
    ImageBlock: ("image_id", "alt_text", "caption"),
    BackgroundBlock: ("title", "html"),
}


def _block_values(block):
    return type(block), {name: getattr(block, name) for name in _BLOCK_FIELDS[type(block)]}


def _current_blocks(release):
    """The release's blocks as (model, values), in the order the export writes them."""
    rows = []
    for index, model in enumerate(BLOCK_MODELS):
        for block in model.objects.filter(parent=release):
            if block.region != REGION:
                return None  # something the format cannot express: rewrite
            rows.append((block.ordering, index, block.pk, *_block_values(block)))
    rows.sort(key=lambda row: row[:3])
    return [(model, values) for *_, model, values in rows]


class _database_errors:
    """A database error while writing one record, as a one-line InterchangeError."""

    def __init__(self, where):
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, traceback):
        if isinstance(exc, DatabaseError):
            raise InterchangeError(one_line(f"{self.where}: Datenbankfehler: {exc}")) from exc
        return False
