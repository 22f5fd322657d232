"""Merging a save with a colleague's save made meanwhile, per field (three-way: the version the
editor opened, what they send, what is stored now). A field only the colleague changed keeps the
stored value; a field only this editor changed takes the editor's value; a field both changed differently is
shown side by side, and the editor chooses (``_merge_<field>`` = ``mine``/``theirs``, valid only
against the stored version named in ``_merge_against``). Blocks likewise: one only the colleague
changed stays as stored, one both changed waits for a choice (``_merge_block_<prefix>_<pk>``)."""

import datetime
import re
from dataclasses import dataclass, field

from django.db import models
from django.forms import ModelChoiceField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from cityhall.library.richtext import sanitize_html
from press import history
from press.models import BLOCK_MODELS, PressRelease

MINE, THEIRS = "mine", "theirs"
NOT_MERGED = frozenset({"version", "new_tags"})


def comparable(value):
    """A value as the merge compares it: text without CRLF or outer blanks, objects by key,
    collections as sets, times to the second."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, models.Model):
        return getattr(value, "name", None) if value._meta.model_name == "tag" else value.pk
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return frozenset(item.casefold() if isinstance(item, str) else comparable(item) for item in value)
    return value


def state_values(state, names):
    """The values of ``names`` in a history.State (tags by name, relations by id)."""
    values = {}
    for name in names:
        if name == "tags":
            values[name] = comparable([tag.casefold() for tag in state.tags or []])
        elif name == "partnerships":
            values[name] = frozenset(state.partnership_ids)
        elif name == "projects":
            values[name] = frozenset(state.project_ids)
        else:
            model_field = state.release._meta.get_field(name)
            values[name] = comparable(getattr(state.release, model_field.attname))
    return values


def form_values(form, cleaned_data, names):
    values = {}
    for name in names:
        value = cleaned_data.get(name)
        if name == "tags":
            extra = cleaned_data.get("new_tags") or []
            value = [getattr(tag, "name", tag).casefold() for tag in [*(value or []), *extra]]
        elif isinstance(form.fields[name], ModelChoiceField):  # also autocompletes: by key
            value = getattr(value, "pk", value)
        values[name] = comparable(value)
    return values


@dataclass
class Merge:
    taken: list = field(default_factory=list)  # only the colleague changed these: theirs kept
    both: list = field(default_factory=list)  # both changed them differently
    unresolved: list = field(default_factory=list)  # of ``both``: no choice made yet


def three_way(base, mine, theirs, choices=None):
    merge = Merge()
    for name, opened in base.items():
        if mine[name] == theirs[name] or theirs[name] == opened:
            continue
        if mine[name] == opened:
            merge.taken.append(name)
        else:
            merge.both.append(name)
            if (choices or {}).get(name) not in (MINE, THEIRS):
                merge.unresolved.append(name)
    return merge


def stored_value(release, name):
    """What to put into cleaned_data to keep the stored value of ``name``."""
    if name in ("tags", "partnerships", "projects"):
        return list(getattr(release, name).all())
    return getattr(release, name)


def display(form, name, value):
    """A value for the side-by-side view, as text."""
    if value in (None, "", []):
        return "–"
    if isinstance(value, list | tuple | models.QuerySet):
        return ", ".join(sorted((str(item) for item in value), key=str.casefold)) or "–"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j. F Y, H:i")
    return str(value)


def choices_from(data, current_version):
    if data.get("_merge_against") != str(current_version):
        return {}
    return {key.removeprefix("_merge_"): value for key, value in data.items() if key.startswith("_merge_")}


# --- blocks ----------------------------------------------------------------------------------------


def _plain(value):
    return re.sub(r"\s+", " ", strip_tags(str(value or ""))).strip() or "–"


def _prefix(model):
    return model._meta.get_field("parent").remote_field.get_accessor_name(model=False).replace("+", "")


def _block_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in ("id", "parent")]


def _same(model_field, a, b):
    if model_field.name == "html":
        return sanitize_html(a or "") == sanitize_html(b or "")
    return comparable("" if a is None else str(a)) == comparable("" if b is None else str(b))


def merge_blocks(data, base, choices):
    """The blocks sent in ``data`` (the change form's POST) against the opened version ``base`` and
    what is stored: (keys of blocks whose stored version stays, rows of blocks both changed that wait
    for a choice or were decided)."""
    opened = {(type(block), block.pk): block for block in base.blocks}
    keep, both = set(), []
    for model in BLOCK_MODELS:
        prefix = _prefix(model)
        total = data.get(f"{prefix}-INITIAL_FORMS", "0")
        stored = {block.pk: block for block in model.objects.filter(parent_id=base.release.pk)}
        for index in range(int(total) if total.isdigit() else 0):
            key = f"{prefix}-{index}"
            pk = data.get(f"{key}-id", "")
            block = stored.get(int(pk)) if pk.isdigit() else None
            old = opened.get((model, block.pk)) if block else None
            if old is None or data.get(f"{key}-DELETE"):
                continue
            fields = [f for f in _block_fields(model) if f"{key}-{f.name}" in data]
            mine = [f for f in fields if not _same(f, data.get(f"{key}-{f.name}"), getattr(old, f.attname))]
            theirs = [f for f in fields if not _same(f, getattr(block, f.attname), getattr(old, f.attname))]
            if not theirs:
                continue
            if not mine:
                keep.add((model, block.pk))
                continue
            name = f"block_{prefix}_{block.pk}"
            choice = choices.get(name)
            if choice == THEIRS:
                keep.add((model, block.pk))
            both.append(
                {
                    "name": name,
                    "label": str(block),
                    "mine": _plain(data.get(f"{key}-{mine[0].name}", "")),
                    "theirs": _plain(getattr(block, mine[0].attname)),
                    "choice": choice or "",
                    "decided": choice in (MINE, THEIRS),
                }
            )
    return keep, both


def skip_kept_blocks(formset, keep):
    """Block forms whose stored version stays are not saved (has_changed() becomes False)."""
    for block_form in formset.initial_forms:
        if (type(block_form.instance), block_form.instance.pk) in keep:
            block_form.__dict__["changed_data"] = []


def merge_form(form, exc, expected, cleaned_data):
    """Compare the release form's input with the opened and the stored version: (Merge, opened
    state, stored release), or None where the opened version is not in the history."""
    base = history.state_at_version(form.instance, expected)
    if base is None:
        return None
    stored = PressRelease.objects.get(pk=form.instance.pk)
    names = [name for name in form.fields if name not in NOT_MERGED and name in cleaned_data]
    result = three_way(
        state_values(base, names),
        form_values(form, cleaned_data, names),
        state_values(history.current_state(stored), names),
        choices_from(form.data, exc.current_version),
    )
    return result, base, stored


def side_by_side(form, name, stored):
    """One row of the conflict view: the field, this editor's value and the stored one."""
    bound = form[name]
    mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else bound.value()
    if name == "tags":
        mine = [getattr(tag, "name", tag) for tag in [*(mine or []), *form.cleaned_data.get("new_tags", [])]]
    return {
        "name": name,
        "label": bound.label,
        "mine": display(form, name, mine),
        "theirs": display(form, name, stored_value(stored, name)),
        "choice": form.data.get(f"_merge_{name}", ""),
    }


def last_saved_by(release):
    latest = history.versions_of(release.pk).first()
    user = latest.revision.user if latest else None
    return (user.get_full_name() or user.get_username()) if user else _("jemand anderes")


def summary(merge, form, who):
    labels = [str(form.fields[name].label) for name in merge.taken]
    if not labels:
        return ""
    return _("Von %(who)s übernommen: %(fields)s.") % {"who": who, "fields": ", ".join(labels)}
