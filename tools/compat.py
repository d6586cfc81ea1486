"""Same verdicts under every allowed version: ``nox -s compat``.

Grades the mistake bank and the alternative correct implementations
(``tests/bank.py``) with two Pythons, one holding the oldest versions
``pyproject.toml`` allows and one the locked versions, and requires the same
verdict from every check. A difference means a lower bound in
``pyproject.toml`` admits a version that grades differently: raise it.

``python -m tools.compat --oldest PYTHON [--locked PYTHON]`` (the locked
Python defaults to this one). Each environment grades every submission in
one process (``python -m tools.compat --grade FOLDER``, with the grader's
``run_checks``), so imports are paid once per environment.
"""

from __future__ import annotations

import argparse
import json
import os
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


def grade_folder(folder: Path) -> dict[str, dict[str, str]]:
    """``{student: {check: status}}`` for every sub-folder of ``folder``, graded in this process."""
    from checks.engine import course
    from checks.engine.grade import grading_environment, run_checks

    found = {}
    with grading_environment():
        for submission in sorted(path for path in folder.iterdir() if path.is_dir()):
            results = run_checks(submission, course.modules())
            found[submission.name] = {result.name: "passed" if result.passed else "failed" for result in results}
    return found


def verdicts(python: str, folder: Path) -> dict[str, dict[str, str]]:
    """``{student: {check: status}}`` from grading ``folder`` with ``python``."""
    done = subprocess.run([python, "-m", "tools.compat", "--grade", str(folder)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"error: grading with {python} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


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
    parser.add_argument("--oldest", help="a Python with the oldest allowed versions installed")
    parser.add_argument("--grade", type=Path, metavar="FOLDER", help=argparse.SUPPRESS)  # one environment's half
    parser.add_argument("--locked", default=sys.executable, help="a Python with the locked versions (default: this one)")
    arguments = parser.parse_args(argv)
    if arguments.grade:
        answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
        os.dup2(2, 1)  # pytest's output goes to stderr; stdout carries the verdicts only
        answers.write(json.dumps(grade_folder(arguments.grade)) + "\n")
        answers.close()
        return 0
    if not arguments.oldest:
        parser.error("--oldest is required")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ridge-lab-compat-") as scratch:
        folder = Path(scratch) / "submissions"
        names = submissions(folder)
        results = {}
        # One environment after the other: side by side, on a busy machine, the
        # sandbox's time limits could fail a check that is not wrong.
        for label, python in (("oldest", arguments.oldest), ("locked", arguments.locked)):
            print(f"{label}: {versions(python)}", flush=True)
            results[label] = verdicts(python, folder)
    differences = compare(results["oldest"], results["locked"], names)
    checks = sum(len(tests) for tests in results["locked"].values())
    for line in differences:
        print(f"  {line}")
    print(f"{len(names)} submissions, {checks} verdicts, {len(differences)} different ({time.perf_counter() - began:.0f} s).")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
