"""Apps are layered cityhall ← partnerships ← press: a lower app never imports a higher one."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HIGHER = {"cityhall": {"partnerships", "press"}, "partnerships": {"press"}}


def imported_top_level_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0], node.lineno


@pytest.mark.parametrize("app", sorted(HIGHER))
def test_lower_app_does_not_import_higher_app(app):
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in (ROOT / app).rglob("*.py")
        for module, line in imported_top_level_modules(path)
        if module in HIGHER[app]
    ]
    assert offenders == []


def test_the_check_sees_imports():
    """Guard against a checker that finds nothing: press does import the lower apps."""
    modules = {m for p in (ROOT / "press").rglob("*.py") for m, _ in imported_top_level_modules(p)}
    assert {"cityhall", "partnerships"} <= modules
