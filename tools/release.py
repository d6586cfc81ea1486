"""Build the student release: ``nox -s release`` (``python -m tools.release [--out FILE]``).

``dist/ridge-lab-student.zip`` holds one folder, ``ridge-lab/``, with what a
student needs and nothing that gives an answer away:

- ``exercises/`` (the stubs), ``checks/`` (the grader and its checks),
  ``docs/`` and ``mkdocs.yml`` (the lessons; without ``solutions/`` the site
  builds without its figures), ``noxfile.py``, ``pyproject.toml``, ``.gitignore``;
- ``.github/workflows/classroom.yml`` (GitHub Classroom grades every push);
- ``README.md``, written for students (sections of the kit's README);
- ``MANIFEST.json``: the kit version, the checks' fingerprint (the
  ``checks_sha256`` every report carries) and the SHA-256 of every file in
  ``checks/``; the Classroom workflow grades only when they match.

Never ``solutions/``, ``tests/`` (the mistake bank and the alternative
implementations live there) or ``tools/``. Every solution file carries the
canary ``RIDGE-LAB-SOLUTION-CANARY``; the build refuses to write a release
that contains it, and ``nox -s verify`` checks the zip again.

The zip is reproducible: sorted members, fixed timestamps.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

from checks.engine import course, report

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "dist" / "ridge-lab-student.zip"
PREFIX = "ridge-lab"
CANARY = "RIDGE-LAB-SOLUTION-" + "CANARY"  # split, so this file is no false positive
MANIFEST = "MANIFEST.json"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
WORKFLOW = ".github/workflows/classroom.yml"
NEVER = ("solutions", "tests", "tools", "build", "dist")


class LeakError(Exception):
    """The release cannot be built safely (a canary, a forbidden path, an ungenerated workflow)."""


def checks_files(kit: Path = ROOT) -> list[Path]:
    """The grading files, exactly those ``report.checks_fingerprint`` hashes."""
    checks = kit / "checks"
    return sorted(checks.glob("*.py")) + sorted(checks.glob("*.toml"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(kit: Path = ROOT) -> dict:
    return {
        "kit_version": report.kit_version(),
        "checks_sha256": report.checks_fingerprint(),
        "files": {f"checks/{path.name}": sha256(path.read_bytes()) for path in checks_files(kit)},
    }


def _section(readme: str, heading: str) -> str:
    """The README section under ``## heading`` (up to the next ``## ``), or ''."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", readme, flags=re.S | re.M)
    return f"## {heading}\n{match.group(1).rstrip()}\n" if match else ""


def student_readme(kit: Path = ROOT) -> str:
    readme = (kit / "README.md").read_text(encoding="utf-8")
    exercises = "\n".join(
        f"| {number} | `exercises/{e.module}.py` | {e.title} | `docs/{e.lesson.split('#')[0]}` |"
        for number, e in enumerate(course.packs(), start=1)
    )
    parts = [
        "# Ridge Lab\n",
        "Auto-graded exercises on **L2 regularization** (ridge regression, weight decay).\n",
        "```bash\npython3 -m pip install nox && nox -s grade     # grade your exercises\n```\n",
        "nox creates a virtual environment and installs NumPy, pytest and Hypothesis into it the first time.\n",
        "## The exercises\n",
        "| # | file | what you build | lesson |\n| --- | --- | --- | --- |\n" + exercises + "\n",
        _section(readme, "For students"),
        _section(readme, "The convention"),
        _section(readme, "How scoring works"),
        "## Your grade\n",
        "Edit only the five files in `exercises/`, and keep each self-contained: "
        "official grading takes those five files and nothing else (a helper module "
        "of your own is not submitted). The grader in `checks/` is the one your "
        "instructor grades with; `MANIFEST.json` records its SHA-256 hashes. If "
        '`checks/` is changed, GitHub Classroom reports "checks modified" with '
        "score 0, and the instructor's own grading only ever reads your five "
        "exercise files.\n",
    ]
    return "\n".join(part for part in parts if part)


def release_files(kit: Path = ROOT) -> dict[str, bytes]:
    """``{path inside the release: content}``, without the manifest."""
    files: dict[str, bytes] = {}

    def add(path: Path) -> None:
        relative = path.relative_to(kit).as_posix()
        if "__pycache__" in relative or relative.endswith((".pyc", ".pyo")):
            return
        if relative.split("/")[0] in NEVER:
            raise LeakError(f"{relative} must never be released")
        files[relative] = path.read_bytes()

    for module in course.modules():
        add(kit / "exercises" / f"{module}.py")
    for path in checks_files(kit):
        add(path)
    for path in sorted((kit / "docs").rglob("*")):
        if path.is_file():
            add(path)
    for name in ("mkdocs.yml", "noxfile.py", "pyproject.toml", ".gitignore", WORKFLOW):
        if (kit / name).is_file():
            add(kit / name)
    # The Classroom workflow compares the checks with the fingerprint written here.
    from tools.classroom import FINGERPRINT_PLACEHOLDER

    workflow = files[WORKFLOW].decode("utf-8")
    if FINGERPRINT_PLACEHOLDER not in workflow:
        raise LeakError(f"{WORKFLOW} has no {FINGERPRINT_PLACEHOLDER}: regenerate it with python -m tools.classroom")
    files[WORKFLOW] = workflow.replace(FINGERPRINT_PLACEHOLDER, report.checks_fingerprint()).encode("utf-8")
    files["README.md"] = student_readme(kit).encode("utf-8")
    return files


def build(out: Path = DEFAULT_OUT, kit: Path = ROOT) -> dict:
    """Write the release zip to ``out``; return its manifest. Raises ``LeakError`` on a canary."""
    files = release_files(kit)
    leaks = sorted(path for path, data in files.items() if CANARY.encode() in data)
    if leaks:
        raise LeakError(f"the solution canary is in {', '.join(leaks)}")
    document = manifest(kit)
    files[MANIFEST] = (json.dumps(document, indent=2) + "\n").encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{PREFIX}/{path}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    temporary.replace(out)
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
