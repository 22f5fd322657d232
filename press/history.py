"""Revisions of a release, kept by django-reversion: one revision per save, holding the release and
its blocks (``reversion.register(follow=...)`` in models.py) plus its tags (``RevisionTags``, as
taggit's manager is not serialised). Here, read-only: recording a revision, listing the versions,
reading a revision back as a readable list of fields, and the difference between two of them.
Restoring a revision and recovering a deleted release are writes: press/services/writing.py
(``press.workflow.restore`` and ``recover``)."""

import difflib
import re
from dataclasses import dataclass, field

import reversion
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from cityhall.library.models import Contact, Image, Person
from partnerships.models import Partnership, Project

from .models import (
    BLOCK_MODELS,
    BackgroundBlock,
    ImageBlock,
    PressRelease,
    QuoteBlock,
    RevisionTags,
    TextBlock,
)
from .services.rules import WORKFLOW_FIELDS


def record(release):
    """Add ``release`` (with its blocks, as they are now) and its tags to the revision being made."""
    if not reversion.is_active():
        return
    reversion.add_to_revision(release)
    reversion.add_meta(
        RevisionTags, release_id=release.pk, names=sorted(release.tags.names(), key=str.casefold)
    )


@dataclass
class State:
    """A release as it was: an (unsaved) PressRelease, its blocks in order, related ids and tags."""

    release: PressRelease
    blocks: list
    partnership_ids: list
    project_ids: list
    tags: list | None  # None: not recorded
    revision: object = None
    missing: list = field(default_factory=list)


def current_state(release):
    blocks = [block for model in BLOCK_MODELS for block in model.objects.filter(parent=release)]
    blocks.sort(key=lambda block: (block.ordering, block.pk))
    return State(
        release=release,
        blocks=blocks,
        partnership_ids=sorted(release.partnerships.values_list("pk", flat=True)),
        project_ids=sorted(release.projects.values_list("pk", flat=True)),
        tags=sorted(release.tags.names(), key=str.casefold),
    )


def forget(release):
    """Delete every revision that holds ``release`` (with its blocks and tags), for ``anonymise``:
    the earlier texts go with it. What happened to it stays in the audit log."""
    revision_ids = versions_of(release.pk).values_list("revision_id", flat=True)
    Revision.objects.filter(pk__in=list(revision_ids)).delete()


def versions_of(release_pk):
    """The release's versions, newest first, with their revisions."""
    return (
        Version.objects.get_for_object_reference(PressRelease, release_pk)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def _unsaved(model, data):
    """An unsaved ``model`` instance from a version's ``field_dict`` (relations by id only)."""
    names = {f.attname for f in model._meta.concrete_fields}
    return model(**{key: value for key, value in data.items() if key in names})


def revision_state(revision, release_pk):
    """The release ``release_pk`` as stored in ``revision``."""
    release, data, blocks = None, {}, []
    for version in revision.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        if model is PressRelease and version.object_id == str(release_pk):
            data = version.field_dict
            release = _unsaved(PressRelease, data)
        elif model in BLOCK_MODELS:
            block = _unsaved(model, version.field_dict)
            if block.parent_id == release_pk:
                blocks.append(block)
    if release is None:
        raise LookupError(f"revision {revision.pk} holds no release {release_pk}")
    blocks.sort(key=lambda block: (block.ordering, block.pk))
    tags = RevisionTags.objects.filter(revision=revision, release_id=release_pk).order_by("-pk").first()
    return State(
        release=release,
        blocks=blocks,
        partnership_ids=sorted(int(pk) for pk in data.get("partnerships", [])),
        project_ids=sorted(int(pk) for pk in data.get("projects", [])),
        tags=tags.names if tags else None,
        revision=revision,
    )


def state_at_version(release, version_number):
    """The state the release had when it carried ``version_number``, from the newest revision that
    recorded it; None when no revision did (e.g. before the history was kept)."""
    for version in versions_of(release.pk)[:100]:
        if version.field_dict.get("version") == version_number:
            return revision_state(version.revision, release.pk)
    return None


def last_recorded(release_pk):
    """The release's fields as its newest revision holds them (``Version.field_dict``), or None."""
    version = versions_of(release_pk).first()
    return version.field_dict if version else None


def deleted_version(version_id):
    """The last version of a deleted release, or None."""
    return Version.objects.get_deleted(PressRelease).filter(pk=version_id).select_related("revision").first()


def add_to_comment(text, *, first=False):
    """Add ``text`` to the comment of the revision being made (before what is there if ``first``)."""
    if not reversion.is_active() or not text:
        return
    parts = [text, reversion.get_comment()] if first else [reversion.get_comment(), text]
    reversion.set_comment("; ".join(part for part in parts if part))


# --- reading a state as text -------------------------------------------------------------------


class Names:
    """Names for the ids a set of states refers to, fetched with one query per model."""

    def __init__(self, states):
        ids = {Image: set(), Contact: set(), Person: set(), Partnership: set(), Project: set()}
        for state in states:
            ids[Image].add(state.release.image_id)
            ids[Contact].add(state.release.contact_id)
            ids[Partnership].update(state.partnership_ids)
            ids[Project].update(state.project_ids)
            for block in state.blocks:
                if isinstance(block, ImageBlock):
                    ids[Image].add(block.image_id)
                elif isinstance(block, QuoteBlock):
                    ids[Person].add(block.speaker_id)
        self.objects = {
            model: model.objects.in_bulk([pk for pk in pks if pk is not None]) for model, pks in ids.items()
        }

    def __call__(self, model, pk):
        if pk is None:
            return ""
        obj = self.objects[model].get(pk)
        return (
            str(obj)
            if obj
            else _("%(kind)s Nr. %(pk)s (gelöscht)") % {"kind": model._meta.verbose_name, "pk": pk}
        )

    def exists(self, model, pk):
        return pk is None or pk in self.objects[model]


def _text(html):
    return re.sub(r"\s+", " ", strip_tags(html or "")).strip()


def _block_text(block, names):
    if isinstance(block, TextBlock):
        return _text(block.html)
    if isinstance(block, QuoteBlock):
        who = ", ".join(
            part for part in (names(Person, block.speaker_id), block.role, block.organisation) if part
        )
        return f"„{block.text}“ – {who}"
    if isinstance(block, ImageBlock):
        parts = [names(Image, block.image_id)]
        if block.alt_text:
            parts.append(_("Alternativtext: %(alt)s") % {"alt": block.alt_text})
        if block.caption:
            parts.append(_("Bildunterschrift: %(caption)s") % {"caption": block.caption})
        return " · ".join(parts)
    if isinstance(block, BackgroundBlock):
        return f"{block.title}: {_text(block.html)}"
    return str(block)


def lines(state, names):
    """``state`` as (key, label, text) rows: head fields, relations, then the blocks in order."""
    release = state.release
    rows = []
    for model_field in PressRelease._meta.concrete_fields:
        if model_field.name in WORKFLOW_FIELDS:
            continue
        value = getattr(release, model_field.attname)
        if model_field.name == "image":
            value = names(Image, value)
        elif model_field.name == "contact":
            value = names(Contact, value)
        elif value is None:
            value = ""
        rows.append((model_field.name, capfirst(model_field.verbose_name), str(value)))
    rows.append(
        ("tags", _("Schlagwörter"), ", ".join(state.tags) if state.tags is not None else _("(nicht erfasst)"))
    )
    rows.append(
        (
            "partnerships",
            _("Städtepartnerschaften"),
            ", ".join(sorted(names(Partnership, pk) for pk in state.partnership_ids)),
        )
    )
    rows.append(
        (
            "projects",
            _("Partnerschaftsprojekte"),
            ", ".join(sorted(names(Project, pk) for pk in state.project_ids)),
        )
    )
    for index, block in enumerate(state.blocks, start=1):
        rows.append(
            (f"block:{index}", f"{index}. {capfirst(block._meta.verbose_name)}", _block_text(block, names))
        )
    return rows


def _marked(old, new):
    """Word-level difference as two HTML strings with <del> and <ins>."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    # Runs of changed words separated only by a space read as one change: "<del>das Rathaus.</del>".
    merged = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1 and not "".join(a[i1:i2]).strip()
        if op == "equal" and between_changes:
            op = "replace"
        if merged and op != "equal" and merged[-1][0] != "equal":
            _, p1, _, q1, _ = merged.pop()
            i1, j1 = p1, q1
        merged.append((op, i1, i2, j1, j2))
    left, right = [], []
    for op, i1, i2, j1, j2 in merged:
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
        else:
            if old_part:
                left.append(f"<del>{old_part}</del>")
            if new_part:
                right.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - escaped above


def diff(old_state, new_state):
    """The rows that differ between two states: dicts with label, old and new (marked HTML). Blocks
    are compared as a sequence, so inserting one block shows one new block, not every later one."""
    names = Names([old_state, new_state])
    old_rows, new_rows = lines(old_state, names), lines(new_state, names)
    head_old = {key: (label, text) for key, label, text in old_rows if not key.startswith("block:")}
    head_new = {key: (label, text) for key, label, text in new_rows if not key.startswith("block:")}
    changes = []
    for key, (label, new_text) in head_new.items():
        old_text = head_old.get(key, (label, ""))[1]
        if old_text != new_text:
            old_html, new_html = _marked(old_text, new_text)
            changes.append({"label": label, "old": old_html, "new": new_html})
    old_blocks = [(label, text) for key, label, text in old_rows if key.startswith("block:")]
    new_blocks = [(label, text) for key, label, text in new_rows if key.startswith("block:")]
    matcher = difflib.SequenceMatcher(
        a=[(label.split(". ", 1)[1], text) for label, text in old_blocks],
        b=[(label.split(". ", 1)[1], text) for label, text in new_blocks],
        autojunk=False,
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        for n in range(max(len(olds), len(news))):
            old_label, old_text = olds[n] if n < len(olds) else ("", "")
            new_label, new_text = news[n] if n < len(news) else ("", "")
            old_html, new_html = _marked(old_text, new_text)
            changes.append(
                {
                    "label": new_label or _("%(label)s (entfernt)") % {"label": old_label},
                    "old": old_html,
                    "new": new_html,
                }
            )
    return changes
