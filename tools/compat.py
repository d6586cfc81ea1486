"""Same verdicts under every allowed version: ``nox -s compat``.

Grades the mistake bank and the alternative correct implementations
(``tests/bank.py``) with two Pythons, one holding the oldest versions
``pyproject.toml`` allows and one the locked versions, and requires the same
verdict from every check. A difference means a lower bound in
``pyproject.toml`` admits a version that grades differently: raise it.

``python -m tools.compat --oldest PYTHON [--locked PYTHON]`` (the locked
Python defaults to this one). Each entry changes one module of the reference,
and modules are graded independently, so each environment grades the
reference on every module once and each entry on its own module only, in two
long-lived grader processes (``tests.bank.BankGrader``): imports are paid once
per process, not once per submission.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checks.engine import course

ROOT = course.KIT_ROOT
REFERENCE = "the reference (solutions/)"


def jobs(folder: Path) -> list:
    """The reference on every module, then one submission per mistake and per alternative on its own module."""
    from tests import bank

    entries = [
        (kind, entry) for kind in ("mistake", "alternative") for entry in bank.read_entries(ROOT / "tests" / f"{kind}s", kind)
    ]
    found = [bank.Job(REFERENCE, bank.SOLUTIONS, bank.MODULES)]
    for number, (kind, entry) in enumerate(entries, start=1):
        submission = bank.build_submission(entry, folder / f"entry-{number:03d}")
        found.append(bank.Job(f"{kind} {entry.key}", submission, (entry.module,)))
    return found


def versions(python: str) -> str:
    code = "import numpy, pytest, hypothesis, platform; print(f'Python {platform.python_version()}, numpy {numpy.__version__}, pytest {pytest.__version__}, hypothesis {hypothesis.__version__}')"
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def verdicts(python: str, graded: list, processes: int) -> dict[str, dict[str, tuple[str, str]]]:
    """``{job: {check: (status, first line of the feedback)}}`` from grading ``graded`` with ``python``."""
    from tests import bank

    try:
        found = bank.BankGrader(processes, python=python).grade(graded)
    except RuntimeError as error:
        raise SystemExit(f"error: grading with {python} failed:\n{error}") from None
    return {
        key: {result.name: ("passed" if result.passed else "failed", result.feedback.splitlines()[0]) for result in results}
        for key, results in found.items()
    }


def compare(oldest: dict, locked: dict, names: list[str]) -> list[str]:
    """One line per check whose verdict differs (or per job graded under one environment only)."""
    differences = []
    for name in names:
        if name not in oldest or name not in locked:
            differences.append(f"{name}: graded under one environment only")
            continue
        for check in sorted(set(oldest[name]) | set(locked[name])):
            (before, why_before), (after, why_after) = (side[name].get(check, ("missing", "")) for side in (oldest, locked))
            if before != after:
                why = why_before if before == "failed" else why_after
                differences.append(f"{name}: {check}: {before} with the oldest versions, {after} with the locked ones ({why})")
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s compat --", description=__doc__.splitlines()[0])
    parser.add_argument("--oldest", required=True, help="a Python with the oldest allowed versions installed")
    parser.add_argument("--locked", default=sys.executable, help="a Python with the locked versions (default: this one)")
    parser.add_argument("--processes", type=int, default=2, help="grader processes per environment (default: 2, one per core)")
    arguments = parser.parse_args(argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ridge-lab-compat-") as scratch:
        graded = jobs(Path(scratch))
        results = {}
        # One environment after the other, each on every core.
        for label, python in (("oldest", arguments.oldest), ("locked", arguments.locked)):
            started = time.perf_counter()
            results[label] = verdicts(python, graded, arguments.processes)
            print(f"{label}: {versions(python)} ({time.perf_counter() - started:.0f} s)", flush=True)
    names = [job.key for job in graded]
    differences = compare(results["oldest"], results["locked"], names)
    checks = sum(len(tests) for tests in results["locked"].values())
    for line in differences:
        print(f"  {line}")
    print(
        f"the reference on every module and {len(names) - 1} entries on their own module: "
        f"{checks} verdicts, {len(differences)} different ({time.perf_counter() - began:.0f} s)."
    )
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
