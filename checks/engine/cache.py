"""Incremental grading: a module whose inputs have not changed is not graded again.

Grading is deterministic given the module's file (and the submission's helper
files beside it), the checks, the lock and the Python version, so a result
keyed by the SHA-256 of all of them is exact. The cache lives in the user's
cache folder, never in the folder being graded. Only a student's own
``grade`` reads it: bulk grading, the Gradescope runtime and the Classroom
workflow never do (they grade as root, where ``enabled()`` is false), so a
submission that writes the cache changes nothing but its own local table.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from checks.engine import course, environment, files, report
from checks.engine.report import CheckResult

FORMAT = 1


def folder() -> Path:
    """``$XDG_CACHE_HOME/<course>/results`` (``~/.cache`` by default)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / course.slug() / "results"


def enabled() -> bool:
    """The cache serves students only: never as root (grades of record) or under CI.

    ``GRADER_CACHE=1`` or ``0`` overrides (the kit's own tests use it).
    """
    override = os.environ.get("GRADER_CACHE")
    if override in ("0", "1"):
        return override == "1"
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return not is_root and not os.environ.get("CI")


def key(submission: Path, module: str) -> str:
    """SHA-256 of everything that decides ``module``'s results for ``submission``."""
    digest = hashlib.sha256()
    exercise_files = {f"{name}.py" for name in course.modules()}
    path = submission / f"{module}.py"
    digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    for helper in sorted(submission.glob("*.py")):  # modules of the student's own, imported by the exercise
        if helper.name not in exercise_files and helper.is_file():
            digest.update(helper.name.encode() + b"\0" + helper.read_bytes() + b"\0")
    parts = (
        str(FORMAT),
        module,
        report.checks_fingerprint(),
        environment.lock_sha256() or "",
        sys.version,
    )
    digest.update("\0".join(parts).encode())
    return digest.hexdigest()


def load(submission: Path, module: str) -> list[CheckResult] | None:
    """The cached results of ``module``, or None when there are none (or they do not fit)."""
    path = folder() / f"{key(submission, module)}.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        results = [CheckResult(**entry) for entry in entries]
    except (OSError, ValueError, TypeError):
        return None
    if not results or any(result.module != module for result in results):
        return None
    return results


def store(submission: Path, module: str, results: list[CheckResult]) -> None:
    """Keep ``results`` of ``module``; a cache that cannot be written is simply not kept."""
    entries = [result.__dict__ for result in results if result.module == module]
    try:
        folder().mkdir(parents=True, exist_ok=True)
        files.write_atomic(folder() / f"{key(submission, module)}.json", json.dumps(entries, ensure_ascii=False))
    except OSError:
        pass
