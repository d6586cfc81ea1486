"""The student release: everything a student needs, no solution text, and its grader works unpacked."""

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from checks.engine import course, report
from tests.conftest import ROOT
from tests.instructor import release_folder, release_zip  # noqa: F401 - fixtures
from tools import kit, release

SOLUTION_FILES = sorted(
    [*ROOT.glob("solutions/*.py"), *ROOT.glob("tests/mistakes/*.py"), *ROOT.glob("tests/alternatives/**/*.py")]
)


def test_every_solution_file_carries_the_canary():
    assert SOLUTION_FILES
    missing = [str(p.relative_to(ROOT)) for p in SOLUTION_FILES if release.CANARY not in p.read_text()]
    assert not missing, f"add the canary comment to {missing}"


def test_the_canary_appears_nowhere_in_the_release(release_zip):
    with zipfile.ZipFile(release_zip) as archive:
        names = archive.namelist()
        leaks = [name for name in names if release.CANARY.encode() in archive.read(name)]
    assert not leaks
    top = {name.split("/")[1] for name in names}
    assert not top & {"solutions", "tests", "tools"}, top


def test_the_release_holds_what_a_student_needs(release_folder):
    for module in course.modules():
        assert (release_folder / "exercises" / f"{module}.py").read_bytes() == (ROOT / "exercises" / f"{module}.py").read_bytes()
    for name in kit.grading_files():
        assert (release_folder / name).is_file(), name
    for exercise in course.packs():
        assert (release_folder / "docs" / exercise.lesson.split("#")[0]).is_file()
    for name in (
        "noxfile.py",
        "noxw.py",
        "pyproject.toml",
        "uv.lock",
        "lock/grade.txt",
        "mkdocs.yml",
        "README.md",
        "MANIFEST.json",
        ".github/workflows/classroom.yml",
    ):
        assert (release_folder / name).is_file(), name
    readme = (release_folder / "README.md").read_text()
    assert "nox -s grade" in readme and "For instructors" not in readme and "nox -s verify" not in readme


def test_the_manifest_hashes_every_grading_file_and_the_lock(release_folder):
    manifest = json.loads((release_folder / "MANIFEST.json").read_text())
    released = {p.relative_to(release_folder).as_posix() for p in (release_folder / "checks").rglob("*") if p.is_file()}
    assert set(manifest["files"]) == released | {"lock/grade.txt"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((release_folder / name).read_bytes()).hexdigest() == digest, name
    assert manifest["checks_sha256"] == report.checks_fingerprint()
    assert manifest["kit_version"] == report.kit_version()
    workflow = (release_folder / ".github" / "workflows" / "classroom.yml").read_text()
    assert manifest["checks_sha256"] in workflow
    assert manifest["files"]["lock/grade.txt"] in workflow


def test_the_student_readme_opens_with_the_first_command(release_folder):
    readme = (release_folder / "README.md").read_text()
    assert "python3 noxw.py -s grade" in readme.split("## ")[0]


def test_the_released_grader_scores_the_stubs_zero(release_folder, stub_grade, tmp_path):
    report_path = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, "-m", "checks.engine.grade", "--report", str(report_path)],
        cwd=release_folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 1, completed.stderr
    graded = json.loads(report_path.read_text())
    assert graded["score"] == 0 and graded["max_score"] == stub_grade.report["max_score"] > 0
    assert graded["extra_data"]["checks_sha256"] == json.loads((release_folder / "MANIFEST.json").read_text())["checks_sha256"]


def test_the_build_refuses_a_release_with_solution_text(tmp_path):
    copy = tmp_path / "kit"
    for name in ("exercises", "checks", "docs", ".github"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "noxfile.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "lock", copy / "lock")
    lesson = copy / "docs" / course.packs()[0].lesson.split("#")[0]
    lesson.write_text(lesson.read_text() + "\n<!-- pasted: " + release.CANARY + " -->\n")
    with pytest.raises(release.LeakError, match="canary"):
        release.build(tmp_path / "out.zip", source=copy)
    assert not (tmp_path / "out.zip").exists()


def test_the_release_is_reproducible(release_zip, tmp_path):
    again = tmp_path / "again.zip"
    release.build(again)
    assert again.read_bytes() == release_zip.read_bytes()
