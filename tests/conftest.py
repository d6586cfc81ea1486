"""Helpers for the kit's own test suite (``nox -s verify``).

Submissions whose grading is under test (the command line, hostile code) are
graded the way students grade them, by running the grader's entry point in a
subprocess, two at a time (the machine has two cores). The mistake bank and
the alternatives are graded module by module in long-lived grader processes
(``tests.bank.BankGrader``): each entry's changed module, and the reference's
modules once. Every grading runs once per session; the tests read the cached
verdicts.

``--quick`` (the authors' inner loop) runs the engine's, the packs' and the
bank's explicit-example tests only, and says which test files it left out.
"""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from checks.engine import report
from checks.engine.report import CheckResult
from tests import bank, shared

ROOT = bank.ROOT
PARALLEL_GRADINGS = 2


@dataclass(frozen=True)
class Graded:
    """The outcome of grading one submission.

    From the entry point (``grade``): its exit status, output and report. From
    the bank (``BankGrader``): the report the entry point writes for the same
    verdicts, with ``graded_modules`` naming the modules graded on this
    submission; the others' verdicts are the reference's, whose files it holds
    unchanged (``unchanged_from_reference``).
    """

    returncode: int
    stdout: str
    stderr: str
    report: dict | None
    folder: Path | None = None
    graded_modules: tuple[str, ...] | None = None

    def module_scores(self) -> dict[str, tuple[int, int]]:
        scores: dict[str, tuple[int, int]] = {}
        for test in self.report["tests"]:
            module = test["tags"][0]
            score, maximum = scores.get(module, (0, 0))
            scores[module] = (score + test["score"], maximum + test["max_score"])
        return scores

    def failed(self, module: str | None = None) -> list[dict]:
        return [t for t in self.report["tests"] if t["status"] == "failed" and module in (None, t["tags"][0])]

    def unchanged_from_reference(self) -> list[str]:
        """The modules not graded on this submission whose file is byte-identical to ``solutions/``'s."""
        return [
            module
            for module in bank.MODULES
            if module not in self.graded_modules
            and filecmp.cmp(self.folder / f"{module}.py", bank.SOLUTIONS / f"{module}.py", shallow=False)
        ]


def explicit_only_switch() -> tuple[list[str], dict[str, str]]:
    """How a grader is told to use the checks' explicit examples alone: ``(arguments, environment)``.

    The one place that knows it, for the entry point and for the bank's grader processes.
    """
    return ["--explicit-only"], {}


def grade(
    folder: Path | str,
    *arguments: str,
    cwd: Path = ROOT,
    timeout: float = 600,
    env: dict | None = None,
    explicit_only: bool = False,
) -> Graded:
    """Grade ``folder`` with the grader's entry point; the report goes to a temporary file."""
    if explicit_only:
        switch_arguments, switch_env = explicit_only_switch()
        arguments, env = (*arguments, *switch_arguments), {**(env or {}), **switch_env}
    with tempfile.TemporaryDirectory(prefix="ridge-lab-test-") as scratch:
        report_path = Path(scratch) / "results.json"
        completed = subprocess.run(
            [sys.executable, "-m", "checks.engine.grade", str(folder), "--report", str(report_path), *arguments],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=None if env is None else {**os.environ, **env},
        )
        report = json.loads(report_path.read_text()) if report_path.exists() else None
    return Graded(completed.returncode, completed.stdout, completed.stderr, report)


def grade_all(folders: dict[str, Path], env: dict | None = None) -> dict[str, Graded]:
    """Grade many folders with the entry point, ``PARALLEL_GRADINGS`` at a time; keys are kept."""
    with ThreadPoolExecutor(PARALLEL_GRADINGS) as pool:
        futures = {key: pool.submit(grade, folder, env=env) for key, folder in folders.items()}
        return {key: future.result() for key, future in futures.items()}


MISTAKES = bank.read_entries(ROOT / "tests" / "mistakes", "mistake")
ALTERNATIVES = bank.read_entries(ROOT / "tests" / "alternatives", "alternative")
LOOPS = "loops (complete submission)"
_REFERENCE = "reference"


@dataclass(frozen=True)
class BankGrades:
    """The bank graded in one mode: the reference by module, each mistake and each alternative."""

    reference: dict[str, list[CheckResult]]
    mistakes: dict[str, Graded]
    alternatives: dict[str, Graded]


def _as_graded(results: list[CheckResult], folder: Path, graded_modules: tuple[str, ...]) -> Graded:
    document = report.gradescope(results, seconds=0.0)
    passed = all(result.passed for result in results)
    return Graded(0 if passed else 1, "", "", document, folder, graded_modules)


def grade_bank(base: Path, explicit_only: bool) -> BankGrades:
    """Grade every mistake and alternative on its own module, the reference and the loops submission on all."""
    jobs = [
        bank.Job(_REFERENCE, bank.SOLUTIONS, bank.MODULES),
        bank.Job(LOOPS, ROOT / "tests" / "alternatives" / "loops", bank.MODULES),
    ]
    entries = {
        f"{kind}:{entry.key}": entry for kind, group in (("mistake", MISTAKES), ("alternative", ALTERNATIVES)) for entry in group
    }
    for job_key, entry in entries.items():
        jobs.append(bank.Job(job_key, bank.build_submission(entry, base / job_key), (entry.module,)))
    arguments, env = explicit_only_switch() if explicit_only else ([], None)
    verdicts = bank.BankGrader(PARALLEL_GRADINGS, arguments=arguments, env=env).grade(jobs)
    reference = {module: [r for r in verdicts[_REFERENCE] if r.module == module] for module in bank.MODULES}
    graded = {}
    for job in jobs[2:]:
        entry = entries[job.key]
        results = [r for module in bank.MODULES for r in (verdicts[job.key] if module == entry.module else reference[module])]
        graded[job.key] = _as_graded(results, job.folder, job.modules)
    alternatives = {entry.key: graded[f"alternative:{entry.key}"] for entry in ALTERNATIVES}
    alternatives[LOOPS] = _as_graded(verdicts[LOOPS], jobs[1].folder, bank.MODULES)
    return BankGrades(reference, {entry.key: graded[f"mistake:{entry.key}"] for entry in MISTAKES}, alternatives)


# The session-wide gradings start in the background as soon as the tests are
# collected (those the selected tests need), so they run beside the first
# tests; a fixture waits only for what is not done yet. Under pytest-xdist
# each is graded once, by the first worker to claim it (tests.shared).
_GRADINGS = pytest.StashKey[shared.SharedJobs]()


def _bank_in(explicit_only: bool) -> Callable[[Path], BankGrades]:
    return lambda folder: grade_bank(folder, explicit_only)


# In the order they start: the quick loop needs the first three.
BACKGROUND_GRADINGS: dict[str, Callable[[Path], object]] = {
    "reference_grade": lambda folder: grade(ROOT / "solutions"),
    "stub_grade": lambda folder: grade(ROOT / "exercises"),
    "explicit_bank_grades": _bank_in(explicit_only=True),
    "bank_grades": _bank_in(explicit_only=False),
}


def _background(config: pytest.Config, name: str):
    """The result of the grading behind fixture ``name`` (started now unless it already is)."""
    return config.stash[_GRADINGS].result(name)


def pytest_configure(config: pytest.Config) -> None:
    shared.configure(config, work_unit)
    config.stash[_GRADINGS] = shared.SharedJobs(shared.run_folder(config), BACKGROUND_GRADINGS)


def pytest_collection_finish(session: pytest.Session) -> None:
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    session.config.stash[_GRADINGS].start(name for name in BACKGROUND_GRADINGS if name in needed)


def pytest_sessionfinish(session: pytest.Session) -> None:
    shared.session_finished(session.config)


def pytest_unconfigure(config: pytest.Config) -> None:
    config.stash[_GRADINGS].shutdown()
    shared.unconfigure(config)


@pytest.fixture(scope="session")
def reference_grade(pytestconfig) -> Graded:
    return _background(pytestconfig, "reference_grade")


@pytest.fixture(scope="session")
def stub_grade(pytestconfig) -> Graded:
    return _background(pytestconfig, "stub_grade")


@pytest.fixture(scope="session")
def bank_grades(pytestconfig) -> BankGrades:
    return _background(pytestconfig, "bank_grades")


@pytest.fixture(scope="session")
def explicit_bank_grades(pytestconfig) -> BankGrades:
    """The bank graded on the checks' explicit examples alone (no generation)."""
    return _background(pytestconfig, "explicit_bank_grades")


@pytest.fixture(scope="session")
def mistake_grades(bank_grades) -> dict[str, Graded]:
    """Every mistake-bank entry: its own module graded, the other modules' verdicts the reference's."""
    return bank_grades.mistakes


@pytest.fixture(scope="session")
def explicit_mistake_grades(explicit_bank_grades) -> dict[str, Graded]:
    return explicit_bank_grades.mistakes


@pytest.fixture(scope="session")
def alternative_grades(bank_grades) -> dict[str, Graded]:
    """Every alternative correct implementation (its own module graded), plus the all-loops submission (all graded)."""
    return bank_grades.alternatives


@pytest.fixture(scope="session")
def explicit_alternative_grades(explicit_bank_grades) -> dict[str, Graded]:
    return explicit_bank_grades.alternatives


# ----------------------------------------------------------------- --quick
# The authors' inner loop: the engine (the entry point, reports, cache), the
# packs and the reference, and the mistake bank graded on explicit examples.
QUICK_FILES = (
    "test_packs.py",
    "test_kit.py",
    "test_reference.py",
    "test_cli.py",
    "test_junit.py",
    "test_tolerances.py",
    "test_mistake_bank.py",
    "test_alternatives.py",
)
# Fixtures that grade with generated examples as well: left to the full run.
QUICK_LEAVES_OUT_FIXTURES = ("bank_grades",)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--quick",
        action="store_true",
        help=f"the authors' inner loop: {', '.join(QUICK_FILES)}, bank on explicit examples only (about a minute)",
    )


def quick_selection(items: list[pytest.Item]) -> tuple[list[pytest.Item], list[pytest.Item], str]:
    """``(kept, left out, one line naming what was left out)`` for ``--quick``."""
    kept, left_out, files, by_fixture = [], [], set(), 0
    for item in items:
        if item.path.name not in QUICK_FILES:
            left_out.append(item)
            files.add(item.path.relative_to(ROOT).as_posix())
        elif set(getattr(item, "fixturenames", ())) & set(QUICK_LEAVES_OUT_FIXTURES):
            left_out.append(item)
            by_fixture += 1
        else:
            kept.append(item)
    summary = (
        f"--quick left out {len(left_out)} tests: {by_fixture} that grade the bank with generated examples, "
        f"and every test in {', '.join(sorted(files)) or 'no other file'}"
    )
    return kept, left_out, summary


# ------------------------------------------------------- xdist work units
# Under pytest-xdist a file is one unit of work, so its module-scoped fixtures
# are made once; the site's files are one unit, sharing one build, one server
# and one browser. The units start longest first: the site (a browser waiting
# on pages), then the files with a test marked slow.


def work_unit(nodeid: str) -> str:
    path = nodeid.split("::")[0]
    return "tests/site" if path.startswith("tests/site/") else path


def longest_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """``items`` with each work unit kept together and in its order, the units ordered as above."""
    units: dict[str, list[pytest.Item]] = {}
    for item in items:
        units.setdefault(work_unit(item.nodeid), []).append(item)

    def cost(unit: str) -> tuple[bool, bool]:
        return unit != "tests/site", not any(item.get_closest_marker("slow") for item in units[unit])

    return [item for unit in sorted(units, key=cost) for item in units[unit]]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--quick"):
        kept, left_out, summary = quick_selection(items)
        if left_out:
            config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        shared.summary_line(config, summary)
    if shared.is_worker(config):
        items[:] = longest_first(items)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    shared.terminal_summary(terminalreporter, config)
