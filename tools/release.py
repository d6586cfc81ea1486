"""Build the student release: ``nox -s release`` (``python -m tools.release [--out FILE]``).

``dist/ridge-lab-student.zip`` holds one folder, ``ridge-lab/``, with what a
student needs and nothing that gives an answer away:

- ``exercises/`` (the stubs), ``checks/`` (the grader and its checks),
  ``docs/`` and ``mkdocs.yml`` (the lessons; without ``solutions/`` the site
  builds without its figures), ``noxfile.py``, ``noxw.py``, ``pyproject.toml``,
  ``uv.lock`` and ``lock/`` (the exact versions the grader is verified with), ``.gitignore``;
- ``.github/workflows/classroom.yml`` (GitHub Classroom grades every push);
- ``README.md``, written for students (sections of the kit's README);
- ``MANIFEST.json``: the kit version, the checks' fingerprint (the
  ``checks_sha256`` every report carries) and the SHA-256 of every grading
  file and of the grading lock; the Classroom workflow grades only when they match.

Never ``solutions/``, ``tests/`` (the mistake bank and the alternative
implementations live there) or ``tools/``. Every solution file carries the
canary ``RIDGE-LAB-SOLUTION-CANARY``; the build refuses to write a release
that contains it, and ``nox -s verify`` checks the zip again.

The zip is reproducible: sorted members, fixed timestamps.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

from checks.engine import course
from tools import classroom, kit, workbook

ROOT = kit.ROOT
DEFAULT_OUT = ROOT / "dist" / "ridge-lab-student.zip"
PREFIX = "ridge-lab"
CANARY = kit.CANARY
MANIFEST = "MANIFEST.json"
WORKFLOW = classroom.WORKFLOW
NEVER = ("solutions", "tests", "tools", "build", "dist")
# Besides exercises/, checks/ and docs/: what a student needs to run the grader and the site.
KIT_FILES = ("mkdocs.yml", "noxfile.py", "noxw.py", "pyproject.toml", "uv.lock", ".gitignore", "ridge_lab.py")


class LeakError(Exception):
    """The release cannot be built safely (a canary, a forbidden path)."""


def manifest(source: Path = ROOT) -> dict:
    """The kit version, the checks' fingerprint and the SHA-256 of every grading file and of the grading lock."""
    files = {name: path for name, path in kit.grading_files(source).items()}
    files[kit.GRADE_LOCK] = kit.grade_lock(source)
    return {
        "kit_version": kit.kit_version(),
        "checks_sha256": kit.fingerprint(),
        "files": {name: kit.sha256(path.read_bytes()) for name, path in sorted(files.items())},
    }


def _section(readme: str, heading: str) -> str:
    """The README section under ``## heading`` (up to the next ``## ``), or ''."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", readme, flags=re.S | re.M)
    return f"## {heading}\n{match.group(1).rstrip()}\n" if match else ""


def _first_command(readme: str) -> str:
    """The kit README's opening (its first command and why), without the kit's own test command."""
    opening = readme.split("\n## ", 1)[0].split("\n", 1)[1]
    return "\n".join(line for line in opening.splitlines() if "-s verify" not in line).strip() + "\n"


def student_readme(source: Path = ROOT) -> str:
    readme = (source / "README.md").read_text(encoding="utf-8")
    exercises = "\n".join(
        f"| {number} | `exercises/{e.module}.py` | {e.title} | `docs/{e.lesson.split('#')[0]}` |"
        for number, e in enumerate(course.packs(), start=1)
    )
    parts = [
        "# Ridge Lab\n",
        "Auto-graded exercises on **L2 regularization** (ridge regression, weight decay).\n",
        _first_command(readme),
        "## The exercises\n",
        "| # | file | what you build | lesson |\n| --- | --- | --- | --- |\n" + exercises + "\n",
        _section(readme, "For students"),
        _section(readme, "In a notebook"),
        _section(readme, "The convention"),
        _section(readme, "How scoring works"),
        "## Your grade\n",
        f"Edit only the {len(course.modules())} files in `exercises/`, and keep each self-contained: "
        f"official grading takes those {len(course.modules())} files and nothing else (a helper module "
        "of your own is not submitted). The grader in `checks/` is the one your "
        "instructor grades with; `MANIFEST.json` records its SHA-256 hashes. If "
        '`checks/` is changed, GitHub Classroom reports "checks modified" with '
        "score 0, and the instructor's own grading only ever reads your "
        "exercise files.\n",
    ]
    return "\n".join(part for part in parts if part)


def release_files(source: Path = ROOT) -> dict[str, bytes]:
    """``{path inside the release: content}``, without the manifest."""
    files: dict[str, bytes] = {}

    def add(path: Path) -> None:
        relative = path.relative_to(source).as_posix()
        if "__pycache__" in relative or relative.endswith((".pyc", ".pyo")):
            return
        if relative.split("/")[0] in NEVER:
            raise LeakError(f"{relative} must never be released")
        files[relative] = path.read_bytes()

    for module in course.modules():
        add(source / course.exercises_folder_name() / f"{module}.py")
    for path in kit.grading_files(source).values():
        add(path)
    for path in sorted([*(source / "docs").rglob("*"), *(source / "lock").glob("*.txt")]):
        if path.is_file():
            add(path)
    for name in KIT_FILES:
        if (source / name).is_file():
            add(source / name)
    # Generated from the packs; it checks the checks and the lock against the hashes written into it.
    workflow = classroom.release_workflow(kit.fingerprint(), kit.sha256(kit.grade_lock(source).read_bytes()))
    files[WORKFLOW] = workflow.encode("utf-8")
    files[workbook.WORKBOOK.name] = workbook.text().encode("utf-8")
    # Generated here, so the kit's repository ignores it; the release's repository keeps it.
    ignored = f"/{workbook.WORKBOOK.name}".encode()
    if ".gitignore" in files:
        files[".gitignore"] = b"".join(line for line in files[".gitignore"].splitlines(keepends=True) if line.strip() != ignored)
    files["README.md"] = student_readme(source).encode("utf-8")
    return files


def build(out: Path = DEFAULT_OUT, source: Path = ROOT) -> dict:
    """Write the release zip to ``out``; return its manifest. Raises ``LeakError`` on a canary."""
    files = release_files(source)
    leaks = sorted(path for path, data in files.items() if CANARY.encode() in data)
    if leaks:
        raise LeakError(f"the solution canary is in {', '.join(leaks)}")
    document = manifest(source)
    files[MANIFEST] = (json.dumps(document, indent=2) + "\n").encode()
    kit.write_zip(out, {f"{PREFIX}/{path}": (data, 0o644) for path, data in files.items()})
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s release --", description="Build the student release zip.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"zip to write (default: {DEFAULT_OUT.relative_to(ROOT)})")
    arguments = parser.parse_args(argv)
    try:
        document = build(arguments.out)
    except LeakError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with zipfile.ZipFile(arguments.out) as archive:
        count = len(archive.infolist())
    print(
        f"Wrote {arguments.out} ({arguments.out.stat().st_size / 1024:.0f} KB, {count} files, kit {document['kit_version']}, checks {document['checks_sha256'][:12]})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
