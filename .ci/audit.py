"""Known vulnerabilities in the pinned dependencies (constraints.txt), with pip-audit.

Exits 1 when pip-audit names a vulnerability in a pinned version. When the vulnerability service cannot be
reached (no network, or an index mirror without PyPI's JSON API, where every package reads "not found on
PyPI"), it says so in a WARNING and exits 0: nothing was audited, which is not the same as nothing found.
Usage: python .ci/audit.py [PIP_AUDIT_PYTHON]  (the interpreter that has pip-audit; default: this one)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def verdict(report):
    """(exit status, lines to print) for pip-audit's JSON report, or for None when it gave none."""
    if report is None:
        return 0, ["WARNING: pip-audit could not reach its vulnerability service: dependencies NOT audited."]
    dependencies = report.get("dependencies", [])
    found = [(dep, vuln) for dep in dependencies for vuln in dep.get("vulns", [])]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    lines = [
        f"VULNERABLE: {dep['name']} {dep.get('version', '')}: {vuln['id']}"
        + (f" (fixed in {', '.join(vuln['fix_versions'])})" if vuln.get("fix_versions") else " (no fix yet)")
        for dep, vuln in found
    ]
    if skipped and not audited:
        lines.append(
            f"WARNING: the vulnerability service answered for none of the {len(skipped)} pinned dependencies "
            f"({skipped[0]['skip_reason']}): dependencies NOT audited."
        )
    elif skipped:
        lines.append(f"WARNING: not audited: {', '.join(dep['name'] for dep in skipped)}")
    if audited:
        lines.append(f"pip-audit: {audited} pinned dependencies audited, {len(found)} known vulnerabilities.")
    return (1 if found else 0), lines


def main(python=sys.executable):
    command = [python, "-m", "pip_audit", "-r", str(ROOT / "constraints.txt"), "--no-deps", "--disable-pip"]
    command += ["--progress-spinner", "off", "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (our own command)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = None
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit exited {result.returncode} without a report: {reason}")
    status, lines = verdict(report)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
