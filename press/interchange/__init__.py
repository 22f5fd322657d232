"""Import and export of press content in the interchange format ``cityhall-press/1``.

``schema`` is the shape of a file (pydantic; published as ``docs/interchange.schema.json``),
``reading`` turns a file into what to write, ``importer`` writes it (asking the models), ``exporter``
writes the database out again, ``errors`` says what went wrong and where, in one line. The format is
described in ``docs/interchange.md``.
"""

from importlib import import_module

# Loaded on first use, so that ``python -m press.interchange.schema`` needs no configured Django.
_LAZY = {
    "FORMAT": "schema",
    "InterchangeError": "errors",
    "ImportResult": "importer",
    "import_data": "importer",
    "import_file": "importer",
    "ExportResult": "exporter",
    "export_content": "exporter",
    "export_data": "exporter",
}

__all__ = list(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
