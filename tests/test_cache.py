"""Incremental grading: unchanged modules come from the cache, exactly as graded before.

One submission is graded once into a cache (``graded_once``); each test works
on its own copy of the submission and of the cache (the cache's keys are the
files' contents, not their paths).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from checks.engine import course
from tests.bank import build_submission
from tests.conftest import ROOT, Graded, grade


@dataclass(frozen=True)
class GradedOnce:
    folder: Path
    cache: Path
    first: Graded


@pytest.fixture(scope="module")
def graded_once(tmp_path_factory) -> GradedOnce:
    base = tmp_path_factory.mktemp("cache-source")
    folder = build_submission(None, base / "work")
    first = grade(folder, env=_cache_env(base / "cache"))
    return GradedOnce(folder, base / "cache", first)


def _cache_env(cache: Path) -> dict[str, str]:
    return {"GRADER_CACHE": "1", "XDG_CACHE_HOME": str(cache)}


@pytest.fixture
def copy(graded_once, tmp_path) -> tuple[Path, dict[str, str]]:
    """A copy of the graded submission and of its cache: ``(folder, environment)``."""
    shutil.copytree(graded_once.folder, tmp_path / "work")
    shutil.copytree(graded_once.cache, tmp_path / "cache")
    return tmp_path / "work", _cache_env(tmp_path / "cache")


def _cached_rows(stdout: str) -> list[str]:
    return [module for module in course.modules() if any(module in line and "cached" in line for line in stdout.splitlines())]


def test_second_run_comes_from_the_cache_with_the_same_report(graded_once, copy):
    folder, env = copy
    second = grade(folder, env=env)
    assert _cached_rows(graded_once.first.stdout) == []
    assert _cached_rows(second.stdout) == list(course.modules())
    assert second.report["tests"] == graded_once.first.report["tests"]


def test_editing_one_module_grades_only_that_module(copy):
    folder, env = copy
    first = course.modules()[0]
    path = folder / f"{first}.py"
    path.write_text(path.read_text() + "\n# edited\n")
    again = grade(folder, env=env)
    assert _cached_rows(again.stdout) == list(course.modules()[1:])


def test_a_changed_answer_is_graded_again(graded_once, copy):
    folder, env = copy
    first = course.modules()[0]
    (folder / f"{first}.py").write_text("raise ImportError('broken on purpose')\n")
    broken = grade(folder, env=env)
    assert broken.report["score"] < graded_once.first.report["score"]


def test_no_cache_grades_everything(copy):
    folder, env = copy
    fresh = grade(folder, "--no-cache", env=env)
    assert _cached_rows(fresh.stdout) == []


def test_cache_is_off_where_grades_are_recorded(tmp_path):
    """Under CI nothing is written to the cache (one module is enough: it would be stored)."""
    folder = build_submission(None, tmp_path / "work")
    env = {"CI": "true", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    graded = grade(folder, "--only", course.modules()[0], env=env)
    assert graded.report["score"] == graded.report["max_score"] > 0
    assert not (tmp_path / "cache").exists()


def test_watch_fills_the_cache_that_grade_reads(tmp_path):
    folder = build_submission(None, tmp_path / "work")
    cache_env = _cache_env(tmp_path / "cache")
    program = "import sys\nfrom pathlib import Path\nfrom checks.engine import watch\nwatch.watch(Path(sys.argv[1]), 'work', rounds=0)\n"
    watched = subprocess.run(
        [sys.executable, "-c", program, str(folder)],
        cwd=ROOT,
        env={**os.environ, **cache_env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert watched.returncode == 0, watched.stderr
    after = grade(folder, env=cache_env)
    assert _cached_rows(after.stdout) == list(course.modules())
