"""The class's grades as files: ``gradebook.csv`` (plain, any LMS or spreadsheet) and ``canvas.csv`` (Canvas' import layout).

Both are built from the per-student reports alone, so a rerun, a rebuild
and a merge of shards give the same bytes for the same reports. A report
written by the bulk grader is a Gradescope ``results.json`` whose
``extra_data`` also names the student, the files taken (with their SHA-256)
and, when the submission could not be graded, ``grading_status: "error"``
with the reason.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from checks.engine import course
from checks.engine.files import UsageError, write_atomic

STATUS_OK, STATUS_ERROR = "ok", "error"
ROSTER_COLUMNS = ("folder", "name", "id", "sis_user_id", "sis_login_id", "section")
CANVAS_LAYOUTS = ("total", "modules")


@dataclass
class StudentResult:
    """One gradebook row: a student's module scores and total, or why they could not be graded."""

    student: str
    status: str  # STATUS_OK or STATUS_ERROR
    reason: str = ""
    modules: dict[str, list[int]] = field(default_factory=dict)  # module -> [score, max]
    score: int | None = None
    skipped: bool = False  # an earlier report was reused


def result_from_report(document: dict) -> StudentResult:
    """The row of a bulk-grading report."""
    extra = document.get("extra_data", {})
    student = str(extra.get("student", ""))
    if extra.get("grading_status") == STATUS_ERROR:
        return StudentResult(student, STATUS_ERROR, str(extra.get("grading_error", "")))
    modules: dict[str, list[int]] = {}
    for test in document.get("tests", []):
        score, maximum = modules.get(test["tags"][0], [0, 0])
        modules[test["tags"][0]] = [score + test["score"], maximum + test["max_score"]]
    return StudentResult(student, STATUS_OK, str(extra.get("submission_notes", "")), modules, document.get("score"))


def read_reports(folder: Path) -> list[dict]:
    """Every bulk-grading report in ``folder`` (``*.json``), sorted by student; ``UsageError`` on an unreadable one."""
    documents = []
    for path in sorted(folder.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            document["extra_data"]["student"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise UsageError(f"{path} is not a report of the bulk grader ({type(error).__name__})") from None
        documents.append(document)
    return sorted(documents, key=lambda document: str(document["extra_data"]["student"]))


def cell(text) -> str:
    """Text a spreadsheet shows as text, on one line: a leading = + - @ would start a formula (names come from students)."""
    text = " ".join(str(text).split())
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def gradebook_text(results: list[StudentResult]) -> str:
    modules = course.modules()
    rows: list[list] = [["student", *modules, "total", "status", "reason"]]
    for result in sorted(results, key=lambda r: r.student):
        scores = [result.modules.get(module, [""])[0] for module in modules]
        total = result.score if result.status == STATUS_OK else ""
        rows.append([cell(result.student), *scores, total, result.status, cell(result.reason)])
    return _csv(rows)


def write_gradebook(path: Path, results: list[StudentResult]) -> None:
    """``student, <one column per module>, total, status, reason``: one row per student, sorted."""
    write_atomic(path, gradebook_text(results))


# ------------------------------------------------------------------ the roster


@dataclass(frozen=True)
class Person:
    """Who a submission folder belongs to, in an LMS's terms."""

    name: str
    id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""


def load_roster(path: Path | None) -> dict[str, Person]:
    """``{folder: Person}`` from a CSV with a ``folder`` column and any of ``name, id, sis_user_id, sis_login_id, section``."""
    if path is None:
        return {}
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = [(column or "").strip().lower() for column in reader.fieldnames or []]
            if "folder" not in columns:
                raise UsageError(f"the roster {path} needs a 'folder' column (and any of {', '.join(ROSTER_COLUMNS[1:])})")
            roster = {}
            for row in reader:
                values = {column: (value or "").strip() for column, value in zip(columns, row.values()) if column}
                folder = values.get("folder", "")
                if folder:
                    roster[folder] = Person(
                        **{k: values.get(k, "") for k in ROSTER_COLUMNS[1:]} | {"name": values.get("name") or folder}
                    )
            return roster
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"cannot read the roster {path}: {error}") from None


def _person(student: str, roster: dict[str, Person]) -> Person:
    return roster.get(student) or roster.get(f"{student}.zip") or Person(student)


def canvas_text(results: list[StudentResult], roster: dict[str, Person], layout: str = "total") -> str:
    """Canvas' gradebook import layout: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment columns.

    ``layout`` ``"total"`` gives one assignment column named after the
    course; ``"modules"`` one per module (``"<course>: <module>"``). The
    second row holds each column's points possible, as in a Canvas export.
    A student who could not be graded gets an empty cell (Canvas leaves the
    grade as it was).
    """
    modules = course.modules()
    assignments = [course.name()] if layout == "total" else [f"{course.name()}: {module}" for module in modules]
    rows: list[list] = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments]]
    possible = _possible(results)
    points = [sum(possible.values())] if layout == "total" else [possible.get(module, "") for module in modules]
    rows.append(["    Points Possible", "", "", "", "", *points])
    for result in sorted(results, key=lambda r: r.student):
        person = _person(result.student, roster)
        if result.status != STATUS_OK:
            scores = [""] * len(assignments)
        elif layout == "total":
            scores = [result.score]
        else:
            scores = [result.modules.get(module, [""])[0] for module in modules]
        rows.append(
            [
                cell(person.name),
                cell(person.id),
                cell(person.sis_user_id),
                cell(person.sis_login_id),
                cell(person.section),
                *scores,
            ]
        )
    return _csv(rows)


def _possible(results: list[StudentResult]) -> dict[str, int]:
    """Each module's maximum, from the graded reports (the largest seen, in case a module was missing)."""
    possible: dict[str, int] = {}
    for result in results:
        for module, (_, maximum) in result.modules.items():
            possible[module] = max(possible.get(module, 0), maximum)
    return possible


def write_canvas(path: Path, results: list[StudentResult], roster: dict[str, Person], layout: str = "total") -> None:
    write_atomic(path, canvas_text(results, roster, layout))
