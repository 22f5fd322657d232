"""The CI step that audits constraints.txt (.ci/audit.py): a known vulnerability fails it, a service that
cannot be reached is a warning, never a silent pass. The reports have pip-audit's JSON shape."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("audit", Path(__file__).parent.parent / ".ci" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_a_known_vulnerability_fails_with_its_id_and_fix():
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
            },
            {"name": "nh3", "version": "0.3.2", "vulns": []},
        ],
        "fixes": [],
    }
    status, lines = audit.verdict(report)
    assert status == 1
    assert "VULNERABLE: django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in lines
    assert lines[-1] == "pip-audit: 2 pinned dependencies audited, 1 known vulnerabilities."


def test_clean_pins_pass():
    status, lines = audit.verdict({"dependencies": [{"name": "nh3", "version": "0.3.2", "vulns": []}]})
    assert status == 0 and lines == ["pip-audit: 1 pinned dependencies audited, 0 known vulnerabilities."]


def test_an_unreachable_service_warns_that_nothing_was_audited():
    skipped = {
        "name": "nh3",
        "skip_reason": "Dependency not found on PyPI and could not be audited: nh3 (0.3.2)",
    }
    status, lines = audit.verdict({"dependencies": [skipped]})
    assert status == 0 and "NOT audited" in lines[0]
    status, lines = audit.verdict(None)
    assert status == 0 and "NOT audited" in lines[0]
