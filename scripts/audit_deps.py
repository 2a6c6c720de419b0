"""Known vulnerabilities in the pinned dependencies (pyproject.toml), with pip-audit.

pip-audit needs the advisory data of PyPI (and OSV) from the network. Where the index cannot be
reached (a CI runner without internet) the step says plainly that it was skipped and why; it never
passes in silence. With `--require-network` an unreachable index fails the step instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDEX = "https://pypi.org/simple/"


def pinned() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += [line for line in extra if not line.startswith("jingmin")]
    return lines


def reachable() -> str:
    try:
        with urllib.request.urlopen(INDEX, timeout=10) as answer:
            return "" if answer.status == 200 else f"HTTP {answer.status}"
    except OSError as error:
        return str(error)


def main() -> int:
    problem = reachable()
    if problem:
        print(f"pip-audit: SKIPPED: no network ({INDEX} unreachable: {problem})")
        return 1 if "--require-network" in sys.argv else 0
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
        requirements.write("\n".join(pinned()) + "\n")
    # Every requirement is pinned, so the pins themselves are audited (no resolving, no pip run).
    command = [
        *(sys.executable, "-m", "pip_audit", "--requirement", requirements.name),
        *("--no-deps", "--disable-pip", "--progress-spinner", "off", "--format", "json"),
    ]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    Path(requirements.name).unlink()
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr)
        print("pip-audit: FAILED to run")
        return 1
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    skipped = [d for d in report["dependencies"] if "skip_reason" in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    # An unaudited pin is said out loud: "no vulnerability" is claimed only for what was checked.
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        print(
            f"pip-audit: {len(skipped)} pinned dependencies NOT AUDITED (unknown to the advisory service): {names}"
        )
    if vulnerable:
        print(f"pip-audit: FAILED: {len(vulnerable)} pinned dependencies have known vulnerabilities")
        return 1
    if not audited:
        print("pip-audit: SKIPPED: the advisory service knows none of the pinned versions")
        return 0
    print(f"pip-audit: no known vulnerability in the {len(audited)} audited pinned dependencies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
