"""Results of one grading run: the Gradescope ``results.json`` and the terminal table.

Gradescope's format: top-level ``score``, ``max_score``, ``tests``; each test
has ``name``, ``score``, ``max_score``, ``status``, ``output`` and ``tags``
(the first tag is the module). ``extra_data`` records which checks graded
the submission (kit version and SHA-256 of ``checks/``), so a report can be
traced to the exact checks that produced it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

from checks.engine import course, environment, files, sandbox

CHECKS_DIR = course.COURSE_DIR
KIT_ROOT = course.KIT_ROOT
# How the student started nox, set by ``noxw.py`` (e.g. ``python3 noxw.py``), so that the
# commands this kit prints are ones that work for them: ``nox`` itself is not on their PATH.
NOX_COMMAND_VARIABLE = "GRADER_NOX_COMMAND"
BOOTSTRAP_COMMAND = "py noxw.py" if os.name == "nt" else "python3 noxw.py"
MAX_OUTPUT_CHARS = 16_000  # one check's feedback in a report: the copy-paste input, the answer and the diagnosis


def safe_text(text: str, limit: int | None = None) -> str:
    """``text`` cut to ``limit`` characters and made writable as UTF-8 (a lone surrogate becomes ``?``)."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.encode("utf-8", "replace").decode("utf-8", "replace") if not text.isascii() else text


def safe_document(value):
    """Every string inside a report made writable as UTF-8 (names, feedback, anything a worker sent)."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_text(str(key)): safe_document(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_document(item) for item in value]
    return value


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check."""

    module: str
    check: str
    passed: bool
    feedback: str
    points: int
    misconception: str | None = None  # the key of the known mistake the feedback names, if any

    @property
    def name(self) -> str:
        return f"{self.module}: {self.check}"

    @property
    def score(self) -> int:
        return self.points if self.passed else 0


def kit_version() -> str:
    with (KIT_ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def grading_files() -> list[Path]:
    """The files that decide a grade: the engine, the course file and every pack, sorted."""
    return sorted(path for pattern in ("*.py", "*.toml") for path in CHECKS_DIR.rglob(pattern) if "__pycache__" not in path.parts)


def checks_fingerprint() -> str:
    """SHA-256 over the grading code and metadata (every ``*.py`` and ``*.toml`` under ``checks/``)."""
    digest = hashlib.sha256()
    for path in grading_files():
        digest.update(path.relative_to(CHECKS_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def gradescope(results: list[CheckResult], *, seconds: float, seed: int | None = None) -> dict:
    """The report as a Gradescope ``results.json`` dictionary.

    ``extra_data.seed`` is the seed the generated examples were drawn from
    (None: a student's own run); a failed check that names a known mistake carries
    its key in the test's ``extra_data.misconception``.
    """
    return {
        "score": sum(result.score for result in results),
        "max_score": sum(result.points for result in results),
        "execution_time": round(seconds, 3),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": result.name,
                "score": result.score,
                "max_score": result.points,
                "status": "passed" if result.passed else "failed",
                "output": safe_text(result.feedback, MAX_OUTPUT_CHARS),
                "tags": [result.module],
                "visibility": "visible",
                **({"extra_data": {"misconception": result.misconception}} if result.misconception else {}),
            }
            for result in results
        ],
        "extra_data": {
            "kit_version": kit_version(),
            "checks_sha256": checks_fingerprint(),
            "isolation": sandbox.isolation_level(),
            "seed": seed,
            **environment.extra_data(),
        },
    }


def write_json(path: Path, report: dict) -> None:
    """Write the report atomically: a reader never sees half of one."""
    files.write_atomic(path, json.dumps(safe_document(report), indent=2, ensure_ascii=False) + "\n")


def module_totals(results: list[CheckResult]) -> dict[str, tuple[int, int]]:
    """``{module: (score, max_score)}`` in the exercises' order."""
    totals: dict[str, tuple[int, int]] = {}
    for result in results:
        score, maximum = totals.get(result.module, (0, 0))
        totals[result.module] = (score + result.score, maximum + result.points)
    order = {name: index for index, name in enumerate(course.modules())}
    return dict(sorted(totals.items(), key=lambda item: order.get(item[0], len(order))))


def table(results: list[CheckResult], cached: set[str] = frozenset()) -> str:
    """One row per module: score / max and the first failing check's feedback (``cached`` rows marked)."""
    width = max(60, min(shutil.get_terminal_size((100, 20)).columns, 110))
    lines = []
    for module, (score, maximum) in module_totals(results).items():
        mark = "✓" if score == maximum else "✗"
        first_failure = next((r for r in results if r.module == module and not r.passed), None)
        summary = "all checks pass" if first_failure is None else first_failure.check
        if module in cached:
            summary += "  (unchanged: cached)"
        lines.append(f"  {mark} {module:<12} {score:>3} / {maximum:<3}  {summary}")
        if first_failure is not None:
            for paragraph in first_failure.feedback.splitlines():
                wrapped = textwrap.wrap(paragraph, width - 25, break_on_hyphens=False) or [""]
                lines.extend(" " * 25 + line for line in wrapped)
    score = sum(r.score for r in results)
    maximum = sum(r.points for r in results)
    lines.append(f"  {'Total':<14} {score:>3} / {maximum:<3}")
    return "\n".join(lines)


def command(session: str, *arguments: str) -> str:
    """The command line that runs the nox ``session`` with ``arguments`` (after ``--``), as this student can type it.

    The prefix is the one ``noxw.py`` was started with (``GRADER_NOX_COMMAND``),
    else ``nox`` when it is on the PATH, else the README's ``python3 noxw.py``.
    """
    prefix = os.environ.get(NOX_COMMAND_VARIABLE) or ("nox" if shutil.which("nox") else BOOTSTRAP_COMMAND)
    words = [prefix, "-s", session, *(["--", *map(shlex.quote, arguments)] if arguments else [])]
    return " ".join(words)


def progress(results: list[CheckResult], *, graded_all: bool) -> str:
    """Overall progress (modules complete / total, a bar) and what to do next."""
    totals = module_totals(results)
    complete = [module for module, (score, maximum) in totals.items() if score == maximum]
    width = 20
    filled = round(width * len(complete) / len(totals)) if totals else 0
    lines = [f"  Progress [{'#' * filled}{'.' * (width - filled)}] {len(complete)}/{len(totals)} modules complete"]
    remaining = [module for module in totals if module not in complete]
    if remaining:
        nxt = remaining[0]
        title = course.pack(nxt).title
        lines.append(f"  Next: {nxt} ({title}): {command('grade', '--only', nxt)}   (stuck? {command('hint', nxt)})")
    elif graded_all:
        lines.append("  Every module is complete. Well done!")
    else:
        lines.append(f"  This module is complete: run {command('grade')} to see every module.")
    return "\n".join(lines)
