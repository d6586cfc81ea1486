"""GitHub Classroom, before grading: verify the checks and the lock, then lay out the grading folder.

Generated into .github/workflows/classroom.yml by tools/classroom.py; the
release fills in the expected fingerprint and lock hash. Standard library
only, and nothing from the repository is imported: the repository belongs
to the student. Every file under checks/ and the lock must be the released
one (MANIFEST.json), the checks' fingerprint and the lock's SHA-256 must be
the ones written into this workflow. Then only the verified checks, the lock
and the exercise files are copied to the grading folder outside the
repository. Otherwise every module's step reports "checks modified".
"""

import hashlib
import json
import pathlib
import shutil
import sys

EXPECTED_FINGERPRINT = "@FINGERPRINT@"
EXPECTED_LOCK_SHA256 = "@LOCK_SHA256@"
MODULES = "@MODULES@".split(",")
EXERCISES = "@EXERCISES@"
LOCK = "@LOCK@"
GRADING_FOLDER = "@GRADING_FOLDER@"


def grading_files(checks):
    """The files that decide a grade, as checks.engine.report.grading_files lists them."""
    return sorted(
        path
        for path in checks.rglob("*")
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.relative_to(checks).parts and path.is_file()
    )


def fingerprint(checks):
    """checks.engine.report.checks_fingerprint, recomputed without importing anything from the repository."""
    digest = hashlib.sha256()
    for path in grading_files(checks):
        digest.update(path.relative_to(checks).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problems(repo):
    found = []
    try:
        manifest = json.loads((repo / "MANIFEST.json").read_text())
        expected_files = dict(manifest["files"])
    except Exception as error:
        return [f"MANIFEST.json is missing or unreadable ({error})"]
    checks = repo / "checks"
    present = []
    if checks.is_dir():
        present = [
            path.relative_to(repo).as_posix()
            for path in checks.rglob("*")
            if not path.is_dir() and "__pycache__" not in path.relative_to(checks).parts
        ]
    found += [f"{name} was added" for name in sorted(present) if name not in expected_files]
    for name, digest in sorted(expected_files.items()):
        path = repo / name
        if path.is_symlink() or not path.is_file():
            found.append(f"{name} is missing")
        elif sha256(path) != digest:
            found.append(f"{name} was changed")
    if (
        not checks.is_dir()
        or fingerprint(checks) != EXPECTED_FINGERPRINT
        or manifest.get("checks_sha256") != EXPECTED_FINGERPRINT
    ):
        found.append("the checks' fingerprint is not the released one")
    lock = repo / LOCK
    if lock.is_symlink() or not lock.is_file() or sha256(lock) != EXPECTED_LOCK_SHA256:
        found.append(f"{LOCK} is not the released one")
    return found


def main():
    repo = pathlib.Path.cwd()
    work = (repo / GRADING_FOLDER).resolve()
    shutil.rmtree(work, ignore_errors=True)
    (work / "submission").mkdir(parents=True)
    found = problems(repo)
    if found:
        reason = (
            "checks modified: "
            + "; ".join(found)
            + ". Restore checks/, lock/ and MANIFEST.json from the starter repository: until then every module scores 0."
        )
        (work / "CHECKS-MODIFIED").write_text(reason)
        print(f"::error title=checks modified::{reason}")
        return
    shutil.copytree(repo / "checks", work / "checks", ignore=shutil.ignore_patterns("__pycache__"))
    (work / LOCK).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(repo / LOCK, work / LOCK)
    manifest = json.loads((repo / "MANIFEST.json").read_text())
    (work / "pyproject.toml").write_text(f'[project]\nname = "ridge-lab"\nversion = "{manifest["kit_version"]}"\n')
    for module in MODULES:
        source = repo / EXERCISES / f"{module}.py"
        if source.is_file() and not source.is_symlink():
            shutil.copyfile(source, work / "submission" / f"{module}.py")
    print(f"checks verified ({EXPECTED_FINGERPRINT[:12]}); grading in {work}")


if __name__ == "__main__":
    sys.exit(main())
