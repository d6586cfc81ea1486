"""The Gradescope autograder zip, run end to end in a simulated /autograder."""

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from checks.engine import course, report
from tests.conftest import ROOT
from tests.instructor import correct_submission  # noqa: F401 - fixture
from tools import gradescope, release
from tools.sample_class import FORGED_CHECK


@pytest.fixture(scope="session")
def autograder_zip(tmp_path_factory):
    return gradescope.build(tmp_path_factory.mktemp("gradescope") / "gradescope-autograder.zip")


def _autograder(tmp_path, autograder_zip, fill_submission, python=sys.executable) -> dict:
    """Lay out ``tmp_path`` as Gradescope's /autograder, run ``run_autograder``, return results.json."""
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    fill_submission(root / "submission")
    completed = subprocess.run(
        ["bash", str(root / "run_autograder")],
        env=dict(os.environ, RIDGE_LAB_AUTOGRADER_ROOT=str(root), RIDGE_LAB_PYTHON=python),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_the_zip_follows_the_specification(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        requirements = archive.read("requirements.txt").decode().split()
        assert not any(release.CANARY.encode() in archive.read(name) for name in names)
    assert {"setup.sh", "run_autograder", "requirements.txt", "pyproject.toml", "checks/grade.py"} <= names
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert {f"checks/{p.name}" for p in release.checks_files()} <= names
    assert not any(name.startswith(("solutions/", "tests/", "exercises/")) for name in names)
    assert requirements and all("==" in line for line in requirements)
    assert {line.split("==")[0] for line in requirements} >= {"numpy", "pytest", "hypothesis"}


def test_a_correct_submission_in_a_subfolder_gets_full_marks(tmp_path, autograder_zip, correct_submission, stub_grade):
    results = _autograder(tmp_path, autograder_zip, lambda folder: shutil.copytree(correct_submission, folder / "my-work"))
    assert results["score"] == results["max_score"] == stub_grade.report["max_score"]
    assert results["extra_data"]["checks_sha256"] == report.checks_fingerprint()
    assert "my-work/penalty.py" in results["output"]


def test_edited_checks_in_the_submission_are_ignored(tmp_path, autograder_zip, stub_grade):
    def fill(folder):
        shutil.copytree(ROOT / "exercises", folder / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "checks", folder / "checks", ignore=shutil.ignore_patterns("__pycache__"))
        for path in (folder / "checks").glob("test_*.py"):
            path.write_text(FORGED_CHECK)

    results = _autograder(tmp_path, autograder_zip, fill)
    assert results["score"] == 0 and results["max_score"] == stub_grade.report["max_score"]
    assert len(results["tests"]) == len(stub_grade.report["tests"])
    assert results["extra_data"]["checks_sha256"] == report.checks_fingerprint()


@pytest.mark.parametrize(
    "what, fill",
    [
        ("empty", lambda folder: None),
        (
            "broken",
            lambda folder: [(folder / f"{m}.py").write_text("def (:\n") for m in course.modules()],
        ),
        ("unrelated files", lambda folder: (folder / "notes.txt").write_text("I ran out of time\n")),
    ],
)
def test_an_empty_or_broken_submission_still_gets_a_full_report(tmp_path, autograder_zip, stub_grade, what, fill):
    results = _autograder(tmp_path, autograder_zip, fill)
    assert results["score"] == 0 and results["max_score"] == stub_grade.report["max_score"]
    assert [t["name"] for t in results["tests"]] == [t["name"] for t in stub_grade.report["tests"]]
    assert all(t["status"] == "failed" and t["output"] for t in results["tests"])


def test_a_report_is_written_even_when_the_grader_cannot_run(tmp_path, autograder_zip):
    broken_python = tmp_path / "python"
    broken_python.write_text("#!/bin/sh\nexit 3\n")
    broken_python.chmod(0o755)
    results = _autograder(tmp_path, autograder_zip, lambda folder: None, python=str(broken_python))
    assert results["score"] == 0 and "could not" in results["output"]
