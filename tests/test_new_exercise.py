"""``nox -s new-exercise -- NAME`` writes a whole exercise, and nothing else needs an edit.

The generator runs in a throw-away copy of the kit (its tracked files, committed
to a fresh git repository), so ``git status`` there shows exactly what it wrote.
The copy must then pass the kit's pack checks, grade the new reference with
full marks and the new stub with zero, build the site with the new lesson in
its navigation, and grade the new module in the Classroom workflow. The bank
checks (mistakes, alternatives, reference, computing nothing) run on a copy
holding the new exercise alone: their fixtures grade every entry of every
module, which the kit's own run of them already does for the others.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks.engine import course
from tests.bank import ROOT
from tools import new_exercise

NAME = "demo"
GIT = ["git", "-c", "user.name=Ridge Lab", "-c", "user.email=kit@example.invalid", "-c", "commit.gpgsign=false"]


def _run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _copy_of_the_kit(destination: Path) -> Path:
    """The kit's tracked files (as they are in the working tree), committed to a new repository."""
    tracked = _run(["git", "ls-files", "-z"], ROOT).stdout.split("\0")
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the kit"]):
        done = _run([*GIT, *command], destination)
        assert done.returncode == 0, done.stderr
    return destination


@pytest.fixture(scope="module")
def kit_with_new_exercise(tmp_path_factory) -> Path:
    kit = _copy_of_the_kit(tmp_path_factory.mktemp("kit"))
    made = _run([sys.executable, "-m", "tools.new_exercise", NAME], kit)
    assert made.returncode == 0, made.stderr
    return kit


def test_it_writes_exactly_the_exercise_files_and_changes_no_other(kit_with_new_exercise):
    status = _run(["git", "status", "--porcelain", "--untracked-files=all"], kit_with_new_exercise).stdout.splitlines()
    assert all(line.startswith("?? ") for line in status), status
    assert sorted(line[3:] for line in status) == sorted(path.replace("NAME", NAME) for path in new_exercise.FILES)


def test_it_refuses_an_existing_exercise_and_a_bad_name(kit_with_new_exercise):
    for name in (NAME, "Not-A-Module"):
        refused = _run([sys.executable, "-m", "tools.new_exercise", name], kit_with_new_exercise)
        assert refused.returncode == 2 and refused.stderr.startswith("error: "), refused.stderr


def test_its_files_pass_the_kits_lint_and_format(kit_with_new_exercise):
    files = [path.replace("NAME", NAME) for path in new_exercise.FILES if path.endswith(".py")]
    for command in (["check"], ["format", "--check"]):
        done = _run([sys.executable, "-m", "ruff", *command, *files], kit_with_new_exercise)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_pack_checks_pass_with_it(kit_with_new_exercise):
    checked = _run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "tests/test_packs.py"], kit_with_new_exercise)
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert f"[{NAME}] PASSED" in checked.stdout, "the pack tests did not run on the new exercise"


def _graded(kit: Path, folder: str) -> dict:
    report = kit / f"report-{folder}.json"
    _run([sys.executable, "-m", "checks.engine.grade", folder, "--only", NAME, "--report", str(report)], kit)
    return json.loads(report.read_text())


def test_its_reference_gets_full_marks_and_its_stub_zero(kit_with_new_exercise):
    reference = _graded(kit_with_new_exercise, "solutions")
    stub = _graded(kit_with_new_exercise, "exercises")
    assert reference["max_score"] > 0 and reference["score"] == reference["max_score"], reference["tests"]
    assert stub["score"] == 0 and stub["max_score"] == reference["max_score"]
    assert {test["tags"][0] for test in reference["tests"]} == {NAME}


@pytest.fixture(scope="module")
def kit_of_the_new_exercise_alone(kit_with_new_exercise, tmp_path_factory) -> Path:
    """The copy without the other exercises: the bank's fixtures then grade only the new exercise's entries."""
    alone = tmp_path_factory.mktemp("alone") / "kit"
    shutil.copytree(kit_with_new_exercise, alone, ignore=shutil.ignore_patterns(".git", "__pycache__"))
    for module in course.modules():
        shutil.rmtree(alone / "checks" / "packs" / module)
        for folder in ("exercises", "solutions", "tests/mistakes", "tests/alternatives", "tests/alternatives/loops"):
            (alone / folder / f"{module}.py").unlink(missing_ok=True)
    return alone


@pytest.mark.slow
def test_the_bank_checks_pass_with_it(kit_of_the_new_exercise_alone):
    """Its mistakes lose points with their own diagnosis and catch every check; alternatives and the reference get full marks."""
    suites = [
        "tests/test_mistake_bank.py",
        "tests/test_alternatives.py",
        "tests/test_reference.py",
        "tests/test_computing_nothing.py",
    ]
    # These two prove the engine deterministic on named entries of the course's own bank, absent from this copy.
    engine_only = ["test_grading_twice_gives_the_same_report", "test_only_gives_the_same_verdicts_as_a_full_run"]
    deselected = [option for test in engine_only for option in ("--deselect", f"tests/test_reference.py::{test}")]
    checked = _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *suites, *deselected],
        kit_of_the_new_exercise_alone,
        timeout=1800,
    )
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    # test_bank_counts there asserts that the bank's modules are exactly the new one: the run is not vacuous.


def test_the_classroom_workflow_grades_it(kit_with_new_exercise):
    probe = "from tools import classroom\nprint(classroom.workflow())"
    workflow = _run([sys.executable, "-c", probe], kit_with_new_exercise)
    assert workflow.returncode == 0, workflow.stderr
    assert f"python -I ../ridge-lab-grading/grade_module.py {NAME}\n" in workflow.stdout


def test_the_site_builds_strict_with_its_lesson_and_exercise_page(kit_with_new_exercise, tmp_path):
    pytest.importorskip("mkdocs")
    built = _run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        kit_with_new_exercise,
        timeout=900,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    home = (tmp_path / "index.html").read_text(encoding="utf-8")
    lessons = re.findall(r'href="(lessons/[a-z-]+/)"', home)
    assert lessons.index(f"lessons/{NAME}/") == lessons.index("lessons/closed-form/") + 1, lessons
    assert f'href="exercises/{NAME}/"' in home
