"""The GitHub Classroom workflow: Classroom's form, the kit's points, and grading only with unmodified checks.

The workflow's own scripts run here as GitHub would run them: the
verification step with bash from the repository root, each module's
command split into words and run without a shell (as the command grader does).
"""

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checks.engine import course
from tests.conftest import ROOT
from tests.instructor import correct_submission, release_folder, release_zip  # noqa: F401 - fixtures
from tools import classroom, kit


@pytest.fixture(scope="module")
def workflow(tmp_path_factory) -> Path:
    """The workflow as ``python -m tools.classroom --out FILE`` writes it."""
    path = tmp_path_factory.mktemp("workflow") / "classroom.yml"
    written = subprocess.run(
        [sys.executable, "-m", "tools.classroom", "--out", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert written.returncode == 0, written.stderr
    return path


def _steps(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text())["jobs"]["run-autograding-tests"]["steps"]


def test_the_kit_holds_no_copy_of_the_workflow():
    """It is generated from the packs at release time, so a new exercise needs no edit of a workflow file."""
    assert not (ROOT / classroom.WORKFLOW).exists()


def test_the_workflow_follows_githubs_schema(workflow):
    completed = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_released_workflow_is_the_generated_one_with_the_hashes(release_folder):
    released = (release_folder / classroom.WORKFLOW).read_text()
    lock_sha256 = hashlib.sha256((ROOT / kit.GRADE_LOCK).read_bytes()).hexdigest()
    assert released == classroom.release_workflow(kit.fingerprint(), lock_sha256)
    assert classroom.FINGERPRINT_PLACEHOLDER not in released and classroom.LOCK_PLACEHOLDER not in released


def test_the_workflow_has_classrooms_form(workflow):
    document = yaml.safe_load(workflow.read_text())
    assert document["on"] == ["push", "repository_dispatch"]
    assert document["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    assert list(document["jobs"]) == ["run-autograding-tests"]
    job = document["jobs"]["run-autograding-tests"]
    assert job["if"] == "github.actor != 'github-classroom[bot]'" and job["runs-on"] == "ubuntu-latest"
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    graders = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-command-grader@")]
    assert [s["id"] for s in graders] == list(course.modules())
    reporter = steps[-1]
    assert reporter["uses"].startswith("classroom-resources/autograding-grading-reporter@")
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in graders]
    assert reporter["env"] == {f"{s['id'].upper()}_RESULTS": f"${{{{steps.{s['id']}.outputs.result}}}}" for s in graders}
    for step in graders:
        assert set(step["with"]) == {"test-name", "setup-command", "command", "timeout", "max-score"}


def test_workflow_points_equal_the_kits_points(workflow, stub_grade):
    points = {s["id"]: s["with"]["max-score"] for s in _steps(workflow) if "id" in s}
    assert points == {module: maximum for module, (_, maximum) in stub_grade.module_scores().items()}


def test_the_workflow_installs_the_verified_lock_after_verifying_it(workflow):
    names = [s.get("name") for s in _steps(workflow)]
    install = next(s["run"] for s in _steps(workflow) if "pip install" in str(s.get("run", "")))
    assert names.index("Verify the checks") < names.index("Install the grader's requirements")
    words = install.split()
    assert "--require-hashes" in words and words[words.index("-r") + 1] == f"{classroom.GRADING_FOLDER}/{kit.GRADE_LOCK}"


def _classroom_repo(release_folder: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "student-repo"
    shutil.copytree(release_folder, repo)
    return repo


def _run_workflow(repo: Path, module: str) -> subprocess.CompletedProcess:
    """Run the verification step, then ``module``'s grading command; return the command's outcome."""
    steps = _steps(repo / classroom.WORKFLOW)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    prepare = next(s["run"] for s in steps if s.get("name") == "Verify the checks")
    prepared = subprocess.run(["bash", "-e", "-c", prepare], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert prepared.returncode == 0, prepared.stderr
    command = next(s["with"]["command"] for s in steps if s.get("id") == module)
    words = shlex.split(command)
    words = [sys.executable, *words[words.index("python") + 1 :]]  # the test already runs as root, or needs no sudo
    return subprocess.run(words, cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def _submit_correct_decay(repo: Path, correct_submission: Path) -> None:
    shutil.copy(correct_submission / "decay.py", repo / "exercises" / "decay.py")


def test_an_unmodified_repository_gets_the_module_graded(release_folder, correct_submission, tmp_path):
    repo = _classroom_repo(release_folder, tmp_path)
    _submit_correct_decay(repo, correct_submission)
    passed = _run_workflow(repo, "decay")
    assert passed.returncode == 0 and passed.stderr == "", passed.stderr
    failed = _run_workflow(repo, "penalty")  # still the stub
    assert failed.returncode == 1 and "not implemented" in failed.stderr


DECAY_CHECKS = course.pack("decay").check_file.relative_to(ROOT).as_posix()


def _edit_a_check(repo: Path) -> None:
    path = repo / DECAY_CHECKS
    path.write_text(path.read_text() + "\n\ndef test_free_points():\n    pass\n")


def _edit_check_and_manifest(repo: Path) -> None:
    _edit_a_check(repo)
    manifest = json.loads((repo / "MANIFEST.json").read_text())
    manifest["files"][DECAY_CHECKS] = hashlib.sha256((repo / DECAY_CHECKS).read_bytes()).hexdigest()
    (repo / "MANIFEST.json").write_text(json.dumps(manifest))


def _edit_lock_and_manifest(repo: Path) -> None:
    lock = repo / kit.GRADE_LOCK
    lock.write_text(lock.read_text().replace("hypothesis==", "hypothesis==6.100.0 \\\n    # was "))
    manifest = json.loads((repo / "MANIFEST.json").read_text())
    manifest["files"][kit.GRADE_LOCK] = hashlib.sha256(lock.read_bytes()).hexdigest()
    (repo / "MANIFEST.json").write_text(json.dumps(manifest))


def _add_a_file(repo: Path) -> None:
    (repo / "checks" / "sitecustomize.py").write_text("import builtins\n")


def _delete_the_manifest(repo: Path) -> None:
    (repo / "MANIFEST.json").unlink()


@pytest.mark.parametrize(
    "tamper", [_edit_a_check, _edit_check_and_manifest, _edit_lock_and_manifest, _add_a_file, _delete_the_manifest]
)
def test_modified_checks_score_zero_with_checks_modified(release_folder, correct_submission, tmp_path, tamper):
    repo = _classroom_repo(release_folder, tmp_path)
    _submit_correct_decay(repo, correct_submission)
    tamper(repo)
    outcome = _run_workflow(repo, "decay")
    assert outcome.returncode == 1 and "checks modified" in outcome.stderr, outcome.stdout + outcome.stderr
