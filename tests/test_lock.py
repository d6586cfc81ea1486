"""The lock: every environment pinned with hashes, one resolution, and the grader knows when it is not the locked one."""

import re

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from checks.engine import environment
from tools import lock

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _pins(path):
    """``[(name, version, hashes)]`` of a hash-checked requirements file."""
    entries, current = [], None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = [match[1].lower(), match[2], 0]
            entries.append(current)
        elif "--hash=sha256:" in line and current is not None:
            current[2] += 1
    return entries


@pytest.mark.parametrize("purpose", lock.PURPOSES)
def test_every_locked_package_is_pinned_with_a_hash(purpose):
    entries = _pins(lock.lock_file(purpose))
    assert entries
    assert [name for name, _, hashes in entries if hashes == 0] == []


def test_the_lock_files_are_the_export_of_uv_lock():
    pytest.importorskip("uv", reason="uv is installed by nox -s verify (the bootstrap group)")
    assert lock.stale() == [], "run nox -s lock"


def test_the_grade_lock_satisfies_pyproject():
    locked = {name: version for name, version, _ in _pins(lock.lock_file("grade"))}
    for text in lock.dependency_groups()["grade"]:
        requirement = Requirement(text)
        assert Version(locked[requirement.name]) in requirement.specifier, text


def test_every_supported_python_is_graded_by_the_same_versions():
    lines = lock.lock_file("grade").read_text().splitlines()
    for name in environment.GRADING_PACKAGES:
        pinned = [line for line in lines if line.startswith(f"{name}==")]
        assert len(pinned) == 1 and ";" not in pinned[0], pinned


def test_the_verify_environment_grades_with_the_grade_lock():
    grade = {name: version for name, version, _ in _pins(lock.lock_file("grade"))}
    verify = {name: version for name, version, _ in _pins(lock.lock_file("verify"))}
    assert {name: verify[name] for name in grade} == grade


def test_the_locked_environment_has_no_drift_warning():
    """nox -s verify installs lock/verify.txt, which holds the grade lock's versions."""
    assert environment.drift_warning() is None, environment.differences()


def test_a_different_version_gets_one_line_naming_it(tmp_path):
    running = environment.hypothesis_version()
    fake = tmp_path / "grade.txt"
    text = lock.lock_file("grade").read_text()
    fake.write_text(re.sub(r"(?m)^hypothesis==\S+", "hypothesis==6.100.0", text))
    assert environment.drift_warning(fake) == (
        f"your environment differs from the grading environment: hypothesis {running}, locked 6.100.0; scores may differ"
    )


def test_no_lock_file_means_no_warning(tmp_path):
    assert environment.drift_warning(tmp_path / "missing.txt") is None
    assert environment.lock_sha256(tmp_path / "missing.txt") is None


def test_a_report_can_record_the_environment():
    data = environment.extra_data()
    assert set(data) == {"python", *environment.GRADING_PACKAGES, "lock_sha256"}
    assert data["lock_sha256"] == environment.lock_sha256() and len(data["lock_sha256"]) == 64
    assert data["numpy"] == environment.numpy_version() and data["pytest"] == environment.pytest_version()
