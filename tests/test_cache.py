"""Incremental grading: unchanged modules come from the cache, exactly as graded before."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from checks.engine import course
from tests.bank import build_submission
from tests.conftest import ROOT, grade


@pytest.fixture
def cache_env(tmp_path):
    return {"GRADER_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}


def _cached_rows(stdout: str) -> list[str]:
    return [module for module in course.modules() if any(module in line and "cached" in line for line in stdout.splitlines())]


def test_second_run_comes_from_the_cache_with_the_same_report(tmp_path, cache_env):
    folder = build_submission(None, tmp_path / "work")
    first = grade(folder, env=cache_env)
    second = grade(folder, env=cache_env)
    assert _cached_rows(first.stdout) == []
    assert _cached_rows(second.stdout) == list(course.modules())
    assert second.report["tests"] == first.report["tests"]


def test_editing_one_module_grades_only_that_module(tmp_path, cache_env):
    folder = build_submission(None, tmp_path / "work")
    grade(folder, env=cache_env)
    first = course.modules()[0]
    path = folder / f"{first}.py"
    path.write_text(path.read_text() + "\n# edited\n")
    again = grade(folder, env=cache_env)
    assert _cached_rows(again.stdout) == list(course.modules()[1:])


def test_a_changed_answer_is_graded_again(tmp_path, cache_env):
    folder = build_submission(None, tmp_path / "work")
    full = grade(folder, env=cache_env)
    first = course.modules()[0]
    (folder / f"{first}.py").write_text("raise ImportError('broken on purpose')\n")
    broken = grade(folder, env=cache_env)
    assert broken.report["score"] < full.report["score"]


def test_no_cache_grades_everything(tmp_path, cache_env):
    folder = build_submission(None, tmp_path / "work")
    grade(folder, env=cache_env)
    fresh = grade(folder, "--no-cache", env=cache_env)
    assert _cached_rows(fresh.stdout) == []


def test_cache_is_off_where_grades_are_recorded(tmp_path):
    folder = build_submission(None, tmp_path / "work")
    env = {"CI": "true", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    grade(folder, env=env)
    assert not (tmp_path / "cache").exists()


def test_watch_fills_the_cache_that_grade_reads(tmp_path, cache_env):
    folder = build_submission(None, tmp_path / "work")
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
