"""The Gradescope autograder zip, run end to end in a simulated /autograder."""

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile

import pytest

from checks.engine import course, report
from tests.conftest import ROOT
from tests.instructor import correct_submission  # noqa: F401 - fixture
from tests.named_processes import alive, named
from tools import gradescope, kit
from tools.sample_class import FORGED_CHECK


@pytest.fixture(scope="session")
def autograder_zip(tmp_path_factory):
    return gradescope.build(tmp_path_factory.mktemp("gradescope") / "gradescope-autograder.zip")


def _autograder(
    tmp_path, autograder_zip, fill_submission, python=sys.executable, prepare_root=None, limit=None, timeout=600
) -> dict:
    """Lay out ``tmp_path`` as Gradescope's /autograder, run ``run_autograder``, return results.json."""
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    fill_submission(root / "submission")
    if prepare_root:
        prepare_root(root)
    env = dict(os.environ, RIDGE_LAB_AUTOGRADER_ROOT=str(root), RIDGE_LAB_PYTHON=python)
    if limit:
        env["RIDGE_LAB_AUTOGRADER_TIMEOUT"] = str(limit)
    completed = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=timeout)
    assert completed.returncode == 0, completed.stderr
    return json.loads((root / "results" / "results.json").read_text())


def _failed_checks(results: dict) -> list[tuple[str, str]]:
    """The failed checks of a report, with their feedback: what a wrong score is explained by."""
    return [(test["name"], test.get("output", "")) for test in results["tests"] if test.get("status") == "failed"]


def test_the_zip_follows_the_specification(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        assert not any(kit.CANARY.encode() in archive.read(name) for name in names)
    assert {"setup.sh", "run_autograder", "pyproject.toml", "tools/autograder.py"} <= names
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert set(kit.grading_files()) <= names
    assert not any(name.startswith(("solutions/", "tests/", "exercises/")) for name in names)
    assert "tools/gradescope.py" not in names, "the builder does not ship"


def test_setup_installs_exactly_the_lock(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        lock = archive.read(kit.GRADE_LOCK)
        setup = archive.read("setup.sh").decode()
    assert lock == kit.grade_lock().read_bytes()
    assert f"--require-hashes -r {kit.GRADE_LOCK}" in setup


def test_a_correct_submission_in_a_subfolder_gets_full_marks(tmp_path, autograder_zip, correct_submission, stub_grade):
    results = _autograder(tmp_path, autograder_zip, lambda folder: shutil.copytree(correct_submission, folder / "my-work"))
    assert results["score"] == results["max_score"] == stub_grade.report["max_score"], _failed_checks(results)
    assert results["extra_data"]["checks_sha256"] == report.checks_fingerprint()
    assert "my-work/penalty.py" in results["output"]


def test_edited_checks_in_the_submission_are_ignored(tmp_path, autograder_zip, stub_grade):
    def fill(folder):
        shutil.copytree(ROOT / "exercises", folder / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "checks", folder / "checks", ignore=shutil.ignore_patterns("__pycache__"))
        for path in (folder / "checks").rglob("test_*.py"):
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


FORGED_REPORT = {"score": 1000, "output": "forged", "tests": []}
WRITE_A_FORGED_REPORT = f"""
import json as _json, os as _os, pathlib as _pathlib
_report = _pathlib.Path(_os.environ.get("RIDGE_LAB_AUTOGRADER_ROOT", "/autograder")) / "results" / "results.json"
try:
    _report.parent.mkdir(parents=True, exist_ok=True)
    _report.write_text(_json.dumps({FORGED_REPORT!r}))
except OSError:
    pass
"""


def _forged_report(root):
    (root / "results").mkdir()
    (root / "results" / "results.json").write_text(json.dumps(FORGED_REPORT))


def _folder_at_the_report(root):
    (root / "results" / "results.json" / "inside").mkdir(parents=True)


def _folders_at_temporary_names(root):
    (root / "results").mkdir()
    for name in (".results.json.tmp", "results.json.tmp", ".results.tmp"):
        (root / "results" / name).mkdir()


def _correct_with(correct_submission, code):
    """Fill a submission with the correct files, ``code`` appended to the first module (run when it is imported)."""

    def fill(folder):
        shutil.copytree(correct_submission, folder, dirs_exist_ok=True)
        module = folder / f"{course.modules()[0]}.py"
        module.write_text(module.read_text() + "\n" + code)

    return fill


@pytest.mark.parametrize(
    "prepare_root, code",
    [(_forged_report, ""), (_folder_at_the_report, ""), (_folders_at_temporary_names, ""), (None, WRITE_A_FORGED_REPORT)],
    ids=["a report left before grading", "a folder at the report", "folders at temporary names", "a submission writing a report"],
)
def test_the_report_is_always_the_autograders_own(tmp_path, autograder_zip, correct_submission, stub_grade, prepare_root, code):
    results = _autograder(tmp_path, autograder_zip, _correct_with(correct_submission, code), prepare_root=prepare_root)
    assert results["score"] == results["max_score"] == stub_grade.report["max_score"], _failed_checks(results)
    assert [t["name"] for t in results["tests"]] == [t["name"] for t in stub_grade.report["tests"]]
    assert results["extra_data"]["checks_sha256"] == report.checks_fingerprint()


DAEMON = """
import os as _os, time as _time
if _os.fork() == 0:  # a daemon that keeps every inherited stream open
    _os.setsid()
    if _os.fork() == 0:
        with open({pidfile!r}, "w") as _handle:
            _handle.write(str(_os.getpid()))
        _time.sleep(600)
    _os._exit(0)
"""


def test_a_daemon_holding_the_output_open_does_not_hold_the_autograder(tmp_path, autograder_zip, correct_submission):
    pidfile = tmp_path / "daemon.pid"
    limit = 60
    began = time.monotonic()
    try:
        results = _autograder(
            tmp_path,
            autograder_zip,
            _correct_with(correct_submission, DAEMON.format(pidfile=str(pidfile))),
            limit=limit,
            timeout=limit + 60,
        )
    finally:
        if pidfile.is_file():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pidfile.read_text()), signal.SIGKILL)
    assert time.monotonic() - began < limit + 35
    assert results["tests"]


SLOW_WITH_A_DAEMON = """
import os as _os, time as _time
if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        _time.sleep(600)
    _os._exit(0)
_time.sleep(30)  # importing outlasts the time limit
"""


@pytest.mark.slow
def test_at_the_time_limit_nothing_of_the_submission_survives(tmp_path, autograder_zip, correct_submission, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    began = time.monotonic()
    name, code = named(SLOW_WITH_A_DAEMON)
    results = _autograder(tmp_path, autograder_zip, _correct_with(correct_submission, code), limit=10, timeout=120)
    assert time.monotonic() - began < 40
    assert "longer than 10 s" in results["output"]
    assert list(scratch.iterdir()) == []  # no folder holding the submission's files is left
    assert alive(name) == []
