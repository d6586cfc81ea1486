"""Bad input to the grader: exit status 2 and one line starting with 'error:', never a traceback."""

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import ROOT, grade


def _run(*arguments, cwd=ROOT):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "checks.engine.grade", *arguments], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("--only", "nope"), "unknown module 'nope'"),
        (("no/such/folder",), "no such folder"),
        (("README.md",), "is a file"),
        (("--report", "/proc/forbidden/results.json"), "cannot write the report"),
        (("--report", "tests"), "is a folder"),
        (("--frobnicate",), "unrecognized arguments"),
    ],
)
def test_bad_arguments_exit_2_with_one_error_line(arguments, message):
    completed = _run(*arguments)
    assert completed.returncode == 2
    lines = (completed.stdout + completed.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], lines


def test_full_marks_exit_0_and_failures_exit_1(reference_grade, stub_grade):
    assert reference_grade.returncode == 0
    assert stub_grade.returncode == 1


def test_report_goes_where_asked(tmp_path):
    completed = _run("solutions", "--only", "decay", "--report", str(tmp_path / "out.json"))
    assert completed.returncode == 0
    assert (tmp_path / "out.json").is_file()
    assert "decay" in completed.stdout and "Total" in completed.stdout


def test_grades_exercises_by_default_from_the_kit_root():
    graded = grade("exercises", "--only", "penalty")
    assert graded.report["max_score"] > 0 and graded.report["score"] == 0


def test_a_report_to_dev_null_leaves_dev_null_a_device(tmp_path):
    from checks.engine import files

    files.write_atomic(Path(os.devnull), "{}\n")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_the_grader_imports_neither_pytest_nor_hypothesis_before_its_sandbox_starts():
    """Its sandbox's interpreter imports NumPy meanwhile, and a run served from the cache needs neither."""
    import subprocess
    import sys

    probe = "import sys, checks.engine.grade; print(sorted({'pytest', 'hypothesis'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
