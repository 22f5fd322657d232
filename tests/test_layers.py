"""Apps are layered ``cityhall.library`` ← ``partnerships`` ← ``press``, with the project package (the rest
of ``cityhall/``: settings, root URLs, wsgi) and ``templates/base.html`` above them all. A lower layer never
reaches a higher one: not by an import (absolute or relative), not in its templates (a URL name, an
include, a tag library, a reverse relation), and not by a string (``_meta.get_field(...)``, a lookup such as
``press_releases__…``, ``apps.get_model("press", …)``, a reverse relation that a higher model puts on a
lower one). The names to look for are computed from the installed apps, the models and the root URLconf,
so that a new relation or URL namespace is covered without touching this test."""

import ast
import re
import sys
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps
from django.template import TemplateDoesNotExist, engines
from django.template.base import Lexer, TokenType
from django.urls import URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "cityhall.library",
    "partnerships",
    "press",
    "distribution",
]  # bottom-up: Python packages, one folder each
PROJECT = len(LAYERS)  # the project package cityhall (minus cityhall.library) sits above every app
LOWER = range(len(LAYERS) - 1)
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")
MODEL_CALLS = {"get_model", "get_app_config", "is_installed", "get_containing_app_config"}


def layer_of(module):
    """The layer of a dotted module (or app) name: 0, 1, 2 for the apps, PROJECT, or None (not ours)."""
    for rank, package in enumerate(LAYERS):
        if module == package or module.startswith(package + "."):
            return rank
    if module == "cityhall" or module.startswith("cityhall."):
        return PROJECT
    return None


def folder(rank):
    return ROOT.joinpath(*LAYERS[rank].split("."))


def python_files(rank):
    return sorted(folder(rank).rglob("*.py"))


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def shown(path):
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name


def package_of(path):
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


# --- Python: imports ---------------------------------------------------------------------------


def imported_modules(path):
    """(dotted name, line) of everything ``path`` imports, relative imports made absolute;
    ``from a import b`` yields ``a.b``, as ``b`` may be a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(path).split(".")
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, *([node.module] if node.module else [])])
            for alias in node.names:
                yield (base if alias.name == "*" else f"{base}.{alias.name}"), node.lineno


@pytest.mark.parametrize("rank", LOWER, ids=LAYERS[:-1])
def test_lower_layer_does_not_import_a_higher_one(rank):
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in python_files(rank)
        for module, line in imported_modules(path)
        if (layer_of(module) or 0) > rank
    ]
    assert not offenders, "\n".join(offenders)


# --- what the apps above put within reach: app labels, URL namespaces, reverse relations --------


@cache
def app_labels_above(rank):
    return {config.label for config in apps.get_app_configs() if (layer_of(config.name) or 0) > rank}


@cache
def url_namespaces():
    """Namespace → layer, from the root URLconf: the module a namespace comes from, or for a list
    of patterns, the app its name is the label of."""
    found = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace:
            source = entry.urlconf_name
            if hasattr(source, "__name__"):
                found[entry.namespace] = layer_of(source.__name__)
            elif entry.app_name in {config.label for config in apps.get_app_configs()}:
                found[entry.namespace] = layer_of(apps.get_app_config(entry.app_name).name)
    return found


def namespaces_above(rank):
    return {name for name, layer in url_namespaces().items() if layer is not None and layer > rank}


@cache
def reverse_names_from_above(rank):
    """The accessor and query names that models of higher apps put on the models of this layer and
    those below it (``Partnership.press_releases``), each with the field that makes it."""
    names = {}
    for model in apps.get_models():
        model_layer = layer_of(model._meta.app_config.name)
        if model_layer is None or model_layer > rank:
            continue
        for rel in model._meta.related_objects:
            if rel.hidden or (layer_of(rel.related_model._meta.app_config.name) or 0) <= rank:
                continue
            origin = f"{rel.related_model._meta.label}.{rel.field.name} → {model._meta.label}"
            names[rel.get_accessor_name()] = origin
            names[rel.field.related_query_name()] = origin
    return names


# --- Python: strings and attributes reaching up -----------------------------------------------

URL_NAME = re.compile(r"^([\w-]+):[\w-]+$")
DOTTED = re.compile(r"^([A-Za-z_]\w*)(\.[A-Za-z_]\w*)+$")


def dotted_layer(text):
    """The layer ``text`` names: a module path ("press.models.PressRelease") or, if its first two parts
    are no module here, an app label's model or permission ("press.PressRelease", "cityhall.view_image")."""
    first, _, rest = text.partition(".")
    if (
        ROOT.joinpath(first, rest.split(".")[0]).exists()
        or ROOT.joinpath(first, rest.split(".")[0] + ".py").exists()
    ):
        return layer_of(text)
    owners = {config.label: layer_of(config.name) for config in apps.get_app_configs()}
    return owners.get(first)


def python_reaches(path, rank):
    """What in ``path`` names something above ``rank``, as readable lines."""
    names = reverse_names_from_above(rank)
    labels = app_labels_above(rank)
    namespaces = namespaces_above(rank)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = shown(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            yield f"{where}:{node.lineno} .{node.attr} ({names[node.attr]})"
        elif isinstance(node, ast.keyword) and node.arg:
            hit = next((part for part in node.arg.split("__") if part in names), None)
            if hit:
                yield f"{where}:{node.value.lineno} lookup {node.arg}= ({names[hit]})"
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0] if node.args else None
            named = first.value if isinstance(first, ast.Constant) else None
            if called in MODEL_CALLS and isinstance(named, str) and named.split(".")[0] in labels:
                yield f"{where}:{node.lineno} {called}({first.value!r})"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            hit = next((part for part in text.split("__") if part in names), None)
            url = URL_NAME.match(text)
            dotted = DOTTED.match(text)
            if hit:
                yield f"{where}:{node.lineno} {text!r} ({names[hit]})"
            elif url and url.group(1) in namespaces:
                yield f"{where}:{node.lineno} URL name {text!r}"
            elif dotted and (dotted_layer(text) or 0) > rank:
                yield f"{where}:{node.lineno} {text!r}"
            elif text.endswith(TEMPLATE_SUFFIXES):
                found = find_template(text)
                if found and (template_layer(found) or 0) > rank and template_layer(found) != PROJECT:
                    yield f"{where}:{node.lineno} template {text!r} of a higher app"


@pytest.mark.parametrize("rank", LOWER, ids=LAYERS[:-1])
def test_lower_layer_code_does_not_reach_a_higher_one_by_name(rank):
    offenders = [line for path in python_files(rank) for line in python_reaches(path, rank)]
    assert not offenders, "\n".join(offenders)


# --- templates ---------------------------------------------------------------------------------


@cache
def find_template(name):
    """The file of template ``name`` in this checkout, or None (Django's own, or missing)."""
    try:
        _template, origin = engines["django"].engine.find_template(name)
    except TemplateDoesNotExist:
        return None
    path = Path(origin.name).resolve()
    if not path.is_relative_to(ROOT) or ".venv" in path.relative_to(ROOT).parts:
        return None
    return path


def template_layer(path):
    """The layer a template file belongs to: by folder (``templates/press/…``, ``templates/admin/press/…``,
    ``<app>/templates/…``); PROJECT for the site-wide frame (``templates/base.html``, error pages); None for
    shared includes (``templates/includes/…``), which are checked wherever they are used."""
    parts = path.relative_to(ROOT).parts
    if parts[0] == "templates":
        rest = parts[1:]
        if rest[0] == "admin" and len(rest) > 2:
            rest = rest[1:]
        if len(rest) == 1:
            return PROJECT
        owners = {config.label: layer_of(config.name) for config in apps.get_app_configs()}
        return owners.get(rest[0])
    return layer_of(".".join(parts[: parts.index("templates")]))


def template_roots(rank):
    """The layer's own templates, and every template its Python code names (views, inclusion tags)."""
    roots = set()
    for base in [ROOT / "templates", ROOT / "templates" / "admin", folder(rank) / "templates"]:
        for path in base.rglob("*"):
            if path.suffix in TEMPLATE_SUFFIXES and template_layer(path) == rank:
                roots.add(path.resolve())
    for path in python_files(rank):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and str(node.value).endswith(TEMPLATE_SUFFIXES):
                found = find_template(node.value)
                if found and template_layer(found) in (rank, None):
                    roots.add(found)
    return roots


STRING_LITERAL = re.compile(r"\"[^\"]*\"|'[^']*'")
LOOKUP = re.compile(r"(?<=[\w\]\)])\.(\w+)")


def literal(bit):
    if len(bit) >= 2 and bit[0] == bit[-1] and bit[0] in "\"'":
        return bit[1:-1]
    return None


def template_facts(path):
    """What a template uses: (kind, value, line) for included/extended templates, URL names, tag
    libraries and attribute lookups (``partnership.press_releases``)."""
    source = path.read_text(encoding="utf-8")
    for token in Lexer(source).tokenize():
        if token.token_type not in (TokenType.BLOCK, TokenType.VAR):
            continue
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            if bits[0] in ("include", "extends") and len(bits) > 1 and literal(bits[1]):
                yield "template", literal(bits[1]), token.lineno
            elif bits[0] == "url" and len(bits) > 1 and literal(bits[1]):
                yield "url", literal(bits[1]), token.lineno
            elif bits[0] == "load":
                names = bits[-1:] if "from" in bits else bits[1:]
                for name in names:
                    yield "library", name, token.lineno
        for name in LOOKUP.findall(STRING_LITERAL.sub('""', token.contents)):
            yield "lookup", name, token.lineno


def templates_reached(rank):
    """Every template of the layer and what it includes or extends, transitively; the project's frame
    (``base.html``) and higher apps' templates are reached but not entered."""
    seen, todo = {}, sorted(template_roots(rank))
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen[path] = list(template_facts(path))
        for kind, value, _line in seen[path]:
            found = find_template(value) if kind == "template" else None
            layer = template_layer(found) if found else None
            if found and found not in seen and (layer is None or layer <= rank):
                todo.append(found)
    return seen


def template_reaches(rank):
    names = reverse_names_from_above(rank)
    namespaces = namespaces_above(rank)
    libraries = engines["django"].engine.libraries  # name → module, e.g. "site_tags" → "cityhall.library…"
    for path, facts in templates_reached(rank).items():
        where = shown(path)
        for kind, value, line in facts:
            if kind == "url" and value.partition(":")[0] in namespaces and ":" in value:
                yield f"{where}:{line} {{% url '{value}' %}}"
            elif kind == "template":
                found = find_template(value)
                layer = template_layer(found) if found else None
                if layer is not None and rank < layer < PROJECT:
                    yield f"{where}:{line} includes {value}"
            elif kind == "library" and (layer_of(libraries.get(value, "")) or 0) > rank:
                yield f"{where}:{line} loads {value}"
            elif kind == "lookup" and value in names:
                yield f"{where}:{line} .{value} ({names[value]})"


@pytest.mark.parametrize("rank", LOWER, ids=LAYERS[:-1])
def test_lower_layer_templates_do_not_reach_a_higher_one(rank):
    offenders = list(template_reaches(rank))
    assert not offenders, "\n".join(offenders)


# --- guards: the checks do see something ----------------------------------------------------------


def test_the_import_check_sees_imports():
    """Press does import both lower layers; a relative import is made absolute."""
    press = LAYERS.index("press")
    modules = {m for p in python_files(press) for m, _ in imported_modules(p)}
    assert {layer_of(m) for m in modules} >= {0, 1}
    assert "press.models.PressRelease" in {m for m, _ in imported_modules(ROOT / "press" / "feeds.py")}


def test_the_model_graph_names_the_reverse_relations_from_above():
    assert reverse_names_from_above(1)["press_releases"].startswith("press.PressRelease.")
    assert {"press_releases", "lead_for_releases", "partnerships"} <= set(reverse_names_from_above(0))
    assert app_labels_above(0) == {
        "partnerships",
        "press",
        "accounts",
        "distribution",
    }  # accounts: the project's login chain
    assert url_namespaces()["distribution"] == 3
    assert url_namespaces()["press"] == 2
    assert url_namespaces()["partnerships"] == 1
    assert url_namespaces()["cityhall"] == 0


def test_the_name_check_sees_press_reaching_partnerships():
    """Run against press itself, the check finds its use of ``partnership.press_releases``."""
    found = list(python_reaches(ROOT / "press" / "feeds.py", 1))
    assert any(".press_releases" in line for line in found)


def test_the_name_check_sees_every_kind_of_reach(tmp_path):
    code = tmp_path / "reaching.py"
    code.write_text(
        "release_model = Project._meta.get_field('press_releases').related_model\n"
        "Image.objects.filter(blocks__release__isnull=False)\n"
        "apps.get_model('press', 'PressRelease')\n"
        "apps.get_model('press.PressRelease')\n"
        "reverse('press:tag', args=['x'])\n"
        "import_string('press.feeds.TagReleasesFeed')\n"
        "template_name = 'press/home.html'\n"
        "reverse('cityhall:easy_language')\n"  # the library's own: no reach
    )
    found = {line.split(" ", 1)[0] for line in python_reaches(code, 0)}
    assert found == {f"reaching.py:{n}" for n in range(1, 8)}


def test_the_template_check_sees_urls_includes_and_lookups():
    press = LAYERS.index("press")
    reached = templates_reached(press)
    facts = {(kind, value) for found in reached.values() for kind, value, _line in found}
    assert any(kind == "url" and value.startswith("press:") for kind, value in facts)
    assert ROOT / "templates" / "includes" / "meta.html" in reached  # followed transitively
    assert ROOT / "templates" / "partnerships" / "partnership_detail.html" in templates_reached(1)
    assert ROOT / "templates" / "cityhall" / "easylanguagepage_list.html" in templates_reached(0)


def test_the_template_check_sees_every_kind_of_reach(tmp_path, monkeypatch):
    template = tmp_path / "reaching.html"
    template.write_text(
        "{% load site_tags %}{% url 'partnerships:list' %}\n"  # this layer's own: no reach
        "{% url 'press:tag' tag.slug as tag_url %}\n"
        '{% include "press/home.html" %}\n'
        "{% for release in partnership.press_releases.all %}{% endfor %}\n"
        "{{ project.press_releases.count }}\n"
    )
    monkeypatch.setattr(
        sys.modules[__name__], "templates_reached", lambda rank: {template: list(template_facts(template))}
    )
    found = list(template_reaches(1))
    assert [line.split(" ", 1)[0] for line in found] == [f"reaching.html:{n}" for n in range(2, 6)]
