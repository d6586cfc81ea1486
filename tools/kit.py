"""What every instructor tool ships: the one home of the facts the release, the Classroom
workflow and the Gradescope autograder share.

- the grading files: every file under ``checks/`` that decides a grade
  (``checks.engine.report.grading_files``), and their fingerprint
  (``report.checks_fingerprint``, the ``checks_sha256`` of every report);
- the grading environment: ``lock/grade.txt``, the hash-checked export of
  ``uv.lock`` (see ``tools/lock.py``) that every grading path installs;
- the module list (``checks.engine.course.modules``), the solution canary
  and a reproducible zip writer.

Nothing here imports another tool, so the tools import this and never each other
(apart from the release, which fills in the Classroom workflow).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from checks.engine import course, report

ROOT = course.KIT_ROOT
TEMPLATES = Path(__file__).resolve().parent / "templates"
CANARY = "RIDGE-LAB-SOLUTION-" + "CANARY"  # split, so this file is no false positive
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
GRADE_LOCK = "lock/grade.txt"


def modules() -> tuple[str, ...]:
    return course.modules()


def grading_files(kit: Path = ROOT) -> dict[str, Path]:
    """``{path relative to the kit: file}`` for every file that decides a grade, in ``kit``."""
    checks = report.CHECKS_DIR
    return {
        f"checks/{path.relative_to(checks).as_posix()}": kit / "checks" / path.relative_to(checks)
        for path in report.grading_files()
    }


def fingerprint() -> str:
    """The checks' fingerprint: the ``checks_sha256`` every report records."""
    return report.checks_fingerprint()


def kit_version() -> str:
    return report.kit_version()


def grade_lock(kit: Path = ROOT) -> Path:
    """The grading environment's lock: hash-checked requirements for pip or uv."""
    return kit / GRADE_LOCK


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def template(name: str) -> str:
    """The text of ``tools/templates/<name>``."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def fill(text: str, **values: str) -> str:
    """Replace each ``@NAME@`` in ``text``; every placeholder must be given, and every value used."""
    for name, value in values.items():
        if f"@{name}@" not in text:
            raise KeyError(f"the template has no @{name}@")
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z][A-Z_]+@", text)
    if left:
        raise KeyError(f"the template still has {', '.join(left)}")
    return text


def write_zip(out: Path, files: dict[str, tuple[bytes, int]]) -> Path:
    """Write ``{name: (content, mode)}`` to ``out`` reproducibly (sorted, fixed times), atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, (data, mode) in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = mode << 16
            archive.writestr(info, data)
    temporary.replace(out)
    return out
