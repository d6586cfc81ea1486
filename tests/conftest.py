"""Helpers for the kit's own test suite (``nox -s verify``).

Submissions are graded the way students grade them, by running the grader's
entry point in a subprocess; many are graded two at a time (the machine has
two cores), once per session, and the tests read the cached reports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import bank

ROOT = bank.ROOT
PARALLEL_GRADINGS = 2


@dataclass(frozen=True)
class Graded:
    """The outcome of one ``python -m checks.engine.grade`` run."""

    returncode: int
    stdout: str
    stderr: str
    report: dict | None

    def module_scores(self) -> dict[str, tuple[int, int]]:
        scores: dict[str, tuple[int, int]] = {}
        for test in self.report["tests"]:
            module = test["tags"][0]
            score, maximum = scores.get(module, (0, 0))
            scores[module] = (score + test["score"], maximum + test["max_score"])
        return scores

    def failed(self, module: str | None = None) -> list[dict]:
        return [t for t in self.report["tests"] if t["status"] == "failed" and module in (None, t["tags"][0])]


def grade(folder: Path | str, *arguments: str, cwd: Path = ROOT, timeout: float = 600, env: dict | None = None) -> Graded:
    """Grade ``folder`` with the grader's entry point; the report goes to a temporary file."""
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
    """Grade many folders, ``PARALLEL_GRADINGS`` at a time; keys are kept."""
    with ThreadPoolExecutor(PARALLEL_GRADINGS) as pool:
        futures = {key: pool.submit(grade, folder, env=env) for key, folder in folders.items()}
        return {key: future.result() for key, future in futures.items()}


MISTAKES = bank.read_entries(ROOT / "tests" / "mistakes", "mistake")
ALTERNATIVES = bank.read_entries(ROOT / "tests" / "alternatives", "alternative")


@pytest.fixture(scope="session")
def reference_grade() -> Graded:
    return grade(ROOT / "solutions")


@pytest.fixture(scope="session")
def stub_grade() -> Graded:
    return grade(ROOT / "exercises")


@pytest.fixture(scope="session")
def mistake_grades(tmp_path_factory) -> dict[str, Graded]:
    """Every mistake-bank entry, graded as a full submission."""
    base = tmp_path_factory.mktemp("mistakes")
    return grade_all({entry.key: bank.build_submission(entry, base / entry.key) for entry in MISTAKES})


EXPLICIT_ONLY = {"GRADER_EXPLICIT_ONLY": "1"}


@pytest.fixture(scope="session")
def explicit_mistake_grades(tmp_path_factory) -> dict[str, Graded]:
    """Every mistake-bank entry, graded on the checks' explicit examples alone (no generation)."""
    base = tmp_path_factory.mktemp("explicit-mistakes")
    folders = {entry.key: bank.build_submission(entry, base / entry.key) for entry in MISTAKES}
    return grade_all(folders, env=EXPLICIT_ONLY)


def _alternative_folders(base: Path) -> dict[str, Path]:
    folders = {entry.key: bank.build_submission(entry, base / entry.key) for entry in ALTERNATIVES}
    folders["loops (complete submission)"] = ROOT / "tests" / "alternatives" / "loops"
    return folders


@pytest.fixture(scope="session")
def alternative_grades(tmp_path_factory) -> dict[str, Graded]:
    """Every alternative correct implementation, plus the all-loops submission."""
    return grade_all(_alternative_folders(tmp_path_factory.mktemp("alternatives")))


@pytest.fixture(scope="session")
def explicit_alternative_grades(tmp_path_factory) -> dict[str, Graded]:
    """The same, graded on the checks' explicit examples alone."""
    return grade_all(_alternative_folders(tmp_path_factory.mktemp("explicit-alternatives")), env=EXPLICIT_ONLY)
