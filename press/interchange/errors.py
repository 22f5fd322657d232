"""Errors of the interchange, each one line naming its place: ``releases[3] (slug 'x'): blocks[2].speaker.name: …``.

Two sources, one style: the shape of the file (pydantic's errors, said in German) and the models
(``full_clean()``; their own messages, placed at the JSON key the field came from).
"""

import json

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .schema import BLOCK_TYPES


class InterchangeError(Exception):
    """The content cannot be imported or exported; the message is one line saying where and why."""


def one_line(text):
    return " ".join(str(text).split())


def located(*parts):
    """``where: path: message`` without empty parts, on one line."""
    return InterchangeError(one_line(": ".join(str(part) for part in parts if part)))


def join_path(path, key):
    if key is None or key == "":
        return path
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def record_where(kind, index, data):
    """How a record is named in errors: its slug if it has one, else its title, else its index."""
    label_key, label = ("partner_city", "Stadt") if kind == "partnerships" else ("title", "Titel")
    where = f"{kind}[{index}]"
    if isinstance(data, dict):
        if isinstance(data.get("slug"), str) and data["slug"]:
            return f"{where} (slug '{data['slug']}')"
        if isinstance(data.get(label_key), str) and data[label_key].strip():
            text = one_line(data[label_key])
            return f"{where} ({label} '{text[:60]}{'…' if len(text) > 60 else ''}')"
    return where


# --- the shape: pydantic's error types in German -------------------------------------------------

_TYPE_MESSAGES = {
    "missing": "fehlt",
    "string_type": "muss Text sein",
    "int_type": "muss eine ganze Zahl sein",
    "int_from_float": "muss eine ganze Zahl sein",
    "float_type": "muss eine Zahl sein",
    "bool_type": "muss true oder false sein",
    "list_type": "muss eine Liste sein",
    "model_type": "muss ein Objekt sein",
    "model_attributes_type": "muss ein Objekt sein",
    "dict_type": "muss ein Objekt sein",
    "timezone_aware": "Zeitzone fehlt, z. B. 2021-01-28T11:00:00+01:00",
    "union_tag_not_found": "fehlt",
}


def _message(error):
    kind, value = error["type"], error["input"]
    if value is None and kind.endswith("_type"):
        return "fehlt"  # null means absent
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    if kind == "literal_error":
        return f"erwartet {error['ctx']['expected']}, gefunden {json.dumps(value, ensure_ascii=False)}"
    if kind == "union_tag_invalid":
        return f"'{error['ctx']['tag']}' unbekannt (erlaubt: {', '.join(BLOCK_TYPES)})"
    if kind.startswith(("date", "datetime")):
        if not isinstance(value, str):
            return "muss Text sein"
        if kind.startswith("datetime"):
            return "kein Zeitpunkt nach ISO 8601, z. B. 2021-01-28T11:00:00+01:00"
        return f"'{value}' ist kein Datum der Form JJJJ-MM-TT"
    if kind == "string_pattern_mismatch":  # the only pattern: a project's year, month or day
        return f"'{value}' ist kein Jahr, Monat oder Tag (JJJJ, JJJJ-MM, JJJJ-MM-TT)"
    return error["msg"]  # the format's own rules (schema.py) speak German already


def _walk(data, loc):
    """The JSON path of pydantic's ``loc`` (without the block type pydantic puts in), and the
    (kind, index) of the record it lies in."""
    record, parts, current = None, [], data
    for step in loc:
        if isinstance(current, dict) and step not in current and step == current.get("type"):
            continue  # the tag of a block: not a key of the file
        parts.append(step)
        current = current[step] if isinstance(current, dict | list) and _has(current, step) else None
    if len(parts) >= 2 and parts[0] in ("partnerships", "releases") and isinstance(parts[1], int):
        record, parts = (parts[0], parts[1]), parts[2:]
    path = ""
    for part in parts:
        path = join_path(path, part)
    return record, path


def _has(container, step):
    if isinstance(container, dict):
        return step in container
    return isinstance(step, int) and 0 <= step < len(container)


def shape_error(exc, data):
    """The first of pydantic's errors as one located line; unknown keys of one object together."""
    errors = exc.errors()
    first = errors[0]
    if first["type"] == "model_type" and not first["loc"]:
        return InterchangeError("Die Datei muss ein JSON-Objekt enthalten")
    loc = first["loc"]
    if first["type"] == "extra_forbidden":
        parent = loc[:-1]
        unknown = sorted(
            str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden" and e["loc"][:-1] == parent
        )
        message, loc = "unbekannte Felder: " + ", ".join(unknown), parent
    else:
        message = _message(first)
        key = (first.get("ctx") or {}).get("key")
        if first["type"].startswith("union_tag"):
            key = "type"
        if key:
            loc = (*loc, key)
    record, path = _walk(data, loc)
    where = record_where(*record, data[record[0]][record[1]]) if record else ""
    return located(where, path, message)


# --- the models: full_clean()'s messages at the JSON key of the field ----------------------------


def model_error(exc, where, path, keys=None):
    """A model's ValidationError as one located line. ``keys`` maps a model field to its JSON key
    (relative to ``path``), where they differ; errors not about one field are placed at ``path``."""
    keys = keys or {}
    if not hasattr(exc, "error_dict"):
        return located(where, path, " ".join(exc.messages))
    parts = []
    for field, errors in exc.error_dict.items():
        key = None if field == NON_FIELD_ERRORS else keys.get(field, field)
        messages = " ".join(message for error in errors for message in error.messages)
        parts.append(": ".join(part for part in (join_path(path, key), messages) if part))
    return located(where, "; ".join(parts))


def full_clean(instance, where, path="", keys=None, **kwargs):
    """``instance.full_clean()`` (constraints included); its errors located in the file."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise model_error(exc, where, path, keys) from exc
