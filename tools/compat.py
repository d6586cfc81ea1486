"""Same verdicts under every allowed version: ``nox -s compat``.

Grades the mistake bank and the alternative correct implementations
(``tests/bank.py``) with two Pythons, one holding the oldest versions
``pyproject.toml`` allows and one the locked versions, and requires the same
verdict from every check. A difference means a lower bound in
``pyproject.toml`` admits a version that grades differently: raise it.

``python -m tools.compat --oldest PYTHON [--locked PYTHON]`` (the locked
Python defaults to this one). Grading uses ``checks.engine.bulk`` (long-lived
grader processes), so each environment grades every submission in one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def submissions(folder: Path) -> dict[str, str]:
    """Write one submission per mistake and per alternative into ``folder``; ``{student: entry}``."""
    from tests import bank

    entries = [
        *bank.read_entries(ROOT / "tests" / "mistakes", "mistake"),
        *bank.read_entries(ROOT / "tests" / "alternatives", "alternative"),
    ]
    students = {}
    for number, entry in enumerate(entries, start=1):
        student = f"entry-{number:03d}"
        bank.build_submission(entry, folder / student)
        students[student] = entry.key
    return students


def versions(python: str) -> str:
    code = "import numpy, pytest, hypothesis, platform; print(f'Python {platform.python_version()}, numpy {numpy.__version__}, pytest {pytest.__version__}, hypothesis {hypothesis.__version__}')"
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def verdicts(python: str, folder: Path, out: Path) -> dict[str, dict[str, str]]:
    """``{student: {check: status}}`` from bulk grading ``folder`` with ``python``."""
    subprocess.run([python, "-m", "checks.engine.bulk", str(folder), "--out", str(out), "--force"], cwd=ROOT,
                   stdout=subprocess.DEVNULL, check=False)  # fmt: skip
    found = {}
    for path in sorted((out / "reports").glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = {test["name"]: test["status"] for test in report.get("tests", [])}
    return found


def compare(oldest: dict, locked: dict, names: dict[str, str]) -> list[str]:
    """One line per check whose verdict differs (or per submission graded under one environment only)."""
    differences = []
    for student, entry in names.items():
        if student not in oldest or student not in locked:
            differences.append(f"{entry}: graded under one environment only")
            continue
        for check in sorted(set(oldest[student]) | set(locked[student])):
            before, after = oldest[student].get(check, "missing"), locked[student].get(check, "missing")
            if before != after:
                differences.append(f"{entry}: {check}: {before} with the oldest versions, {after} with the locked ones")
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s compat --", description=__doc__.splitlines()[0])
    parser.add_argument("--oldest", required=True, help="a Python with the oldest allowed versions installed")
    parser.add_argument("--locked", default=sys.executable, help="a Python with the locked versions (default: this one)")
    arguments = parser.parse_args(argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ridge-lab-compat-") as scratch:
        folder = Path(scratch) / "submissions"
        names = submissions(folder)
        results = {}
        for label, python in (("oldest", arguments.oldest), ("locked", arguments.locked)):
            print(f"{label}: {versions(python)}", flush=True)
            results[label] = verdicts(python, folder, Path(scratch) / label)
    differences = compare(results["oldest"], results["locked"], names)
    checks = sum(len(tests) for tests in results["locked"].values())
    for line in differences:
        print(f"  {line}")
    print(
        f"{len(names)} submissions, {checks} verdicts, {len(differences)} different "
        f"({time.perf_counter() - began:.0f} s)."
    )
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
