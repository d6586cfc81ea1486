"""Bulk grading: a class of folders and zips, broken and hostile ones included, into a gradebook."""

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from checks.engine import bulk, course, report
from tests.conftest import ROOT
from tools.sample_class import make_student

CLASS = {
    "ada": "correct",
    "bob": "correct-zip",  # nested in ridge-lab/exercises/, with the student's own forged checks
    "cy": "mistake:0",
    "dee": "tampered",  # stubs, with every check file edited to pass
    "eve": "hang",
    "fay": "empty-zip",
    "gus": "not-a-zip",
    "hal": "zip-bomb",
}


def _run(*arguments, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "checks.engine.bulk", *map(str, arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _gradebook(out: Path) -> dict[str, dict]:
    with (out / "gradebook.csv").open(newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, stub_grade):
    submissions = tmp_path_factory.mktemp("class")
    for name, kind in CLASS.items():
        make_student(kind, submissions, name)
    out = tmp_path_factory.mktemp("grades")
    completed = _run(submissions, "--out", out, "--jobs", 2)
    return submissions, out, completed


@pytest.mark.slow
def test_every_student_is_in_the_gradebook(graded_class, stub_grade):
    _, out, completed = graded_class
    assert completed.returncode == 1, completed.stdout + completed.stderr  # gus could not be graded
    book = _gradebook(out)
    assert list(book) == sorted(CLASS)
    assert list(next(iter(book.values()))) == ["student", *course.modules(), "total", "status", "reason"]
    full = str(stub_grade.report["max_score"])
    assert book["ada"]["total"] == full and book["ada"]["status"] == "ok"
    assert book["bob"]["total"] == full, "a submission's own checks must never grade it"
    assert 0 < int(book["cy"]["total"]) < int(full)
    assert book["dee"]["total"] == "0", "edited checks in the submission must be ignored"
    assert 0 < int(book["eve"]["total"]) < int(full), "a hang costs only the checks it touches"
    assert book["fay"]["total"] == "0" and "none of the exercise files" in book["fay"]["reason"]
    assert book["gus"]["status"] == "error" and "not a readable zip" in book["gus"]["reason"] and book["gus"]["total"] == ""
    assert "penalty.py is larger than" in book["hal"]["reason"]


def test_module_columns_add_up_and_match_the_reports(graded_class):
    _, out, _ = graded_class
    for student, row in _gradebook(out).items():
        document = json.loads((out / "reports" / f"{student}.json").read_text())
        assert document["extra_data"]["checks_sha256"] == report.checks_fingerprint()
        assert document["extra_data"]["student"] == student
        if row["status"] != "ok":
            assert document["extra_data"]["grading_error"] == row["reason"] and document["tests"] == []
            continue
        assert sum(int(row[m]) for m in course.modules()) == int(row["total"]) == document["score"]


def test_a_bulk_report_grades_exactly_as_the_single_grader(graded_class, reference_grade, stub_grade):
    _, out, _ = graded_class
    for student, single in (("ada", reference_grade), ("dee", stub_grade)):
        bulk_tests = json.loads((out / "reports" / f"{student}.json").read_text())["tests"]
        assert bulk_tests == single.report["tests"]


def test_the_class_files_are_written_beside_the_gradebook(graded_class):
    _, out, _ = graded_class
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")
    with (out / "canvas.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert [row[0] for row in rows[2:]] == sorted(CLASS)


def test_the_progress_bar_works_without_a_terminal(graded_class):
    _, _, completed = graded_class
    lines = [line for line in completed.stderr.splitlines() if line.startswith("[")]
    assert len(lines) == len(CLASS) and lines[-1].startswith(f"[{'#' * 30}] {len(CLASS)}/{len(CLASS)}")


def test_a_zip_never_writes_outside_the_scratch_folder(graded_class):
    submissions, _, _ = graded_class
    assert not Path("/tmp/ridge-lab-absolute.py").exists()
    assert not any(submissions.parent.rglob("escaped.py"))


def test_a_rerun_skips_graded_students_and_retries_errors(graded_class):
    submissions, out, _ = graded_class
    before = (out / "gradebook.csv").read_text()
    completed = _run(submissions, "--out", out, timeout=120)
    assert "Graded 1 of 8 students" in completed.stdout, completed.stdout  # only gus, again
    assert (out / "gradebook.csv").read_text() == before


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in arguments:
            found.append(arguments)
    return found


def test_a_submission_slower_than_the_timeout_is_an_error_not_a_stall(tmp_path):
    (tmp_path / "class").mkdir()
    (tmp_path / "scratch").mkdir()
    make_student("hang", tmp_path / "class", "slow")
    completed = subprocess.run(
        [sys.executable, "-m", "checks.engine.bulk", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--timeout", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, TMPDIR=str(tmp_path / "scratch")),
    )
    row = _gradebook(tmp_path / "out")["slow"]
    assert completed.returncode == 1 and row["status"] == "error" and "longer than 2 s" in row["reason"]
    assert not _processes_mentioning(str(tmp_path / "scratch")), "the hanging sandbox worker outlived the grader"
    assert not any((tmp_path / "scratch").iterdir()), "the scratch copy outlived the run"


def test_only_the_exercise_files_are_taken_from_a_zip(tmp_path):
    archive = tmp_path / "s.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("../../penalty.py", "A = 1\n")
        handle.writestr("deep/er/exercises/penalty.py", "B = 2\n")  # preferred: under exercises/
        handle.writestr("checks/grade.py", "raise SystemExit\n")
        handle.writestr("__MACOSX/._decay.py", "junk")
        handle.writestr("x/decay.py", b"#" * (bulk.MAX_FILE_BYTES + 1))
    taken = bulk.take_submission(archive, tmp_path / "dest")
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == ["penalty.py"]
    assert (tmp_path / "dest" / "penalty.py").read_text() == "B = 2\n"
    assert "x/decay.py is larger than" in taken.reason()


def test_links_in_a_folder_submission_are_not_followed(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "penalty.py").symlink_to(ROOT / "solutions" / "penalty.py")
    taken = bulk.take_submission(tmp_path / "s", tmp_path / "dest")
    assert not list((tmp_path / "dest").iterdir()) and "not a regular file" in taken.reason()


def test_bad_arguments_exit_2_with_one_error_line(tmp_path):
    completed = _run(tmp_path / "missing")
    assert completed.returncode == 2 and completed.stderr.strip().startswith("error: no such folder")


def test_gradebook_cells_never_start_a_spreadsheet_formula(tmp_path):
    outcome = bulk.StudentResult("=cmd", "error", '=HYPERLINK("http://x")/decay.py is larger than 256 KB\nnext line')
    bulk.write_gradebook(tmp_path / "gradebook.csv", [outcome])
    row = _gradebook(tmp_path)["'=cmd"]
    assert row["reason"].startswith("'=HYPERLINK") and "\n" not in row["reason"]


def test_force_grades_again_what_a_rerun_would_skip(tmp_path):
    (tmp_path / "class").mkdir()
    make_student("stubs", tmp_path / "class", "zed")
    out = tmp_path / "out"
    _run(tmp_path / "class", "--out", out, timeout=300)
    report_path = out / "reports" / "zed.json"
    document = json.loads(report_path.read_text())
    document["extra_data"]["marker"] = "kept"
    report_path.write_text(json.dumps(document))
    skipped = _run(tmp_path / "class", "--out", out, timeout=300)
    assert "Graded 0 of 1 students" in skipped.stdout and "marker" in json.loads(report_path.read_text())["extra_data"]
    forced = _run(tmp_path / "class", "--out", out, "--force", timeout=300)
    assert "Graded 1 of 1 students" in forced.stdout and "marker" not in json.loads(report_path.read_text())["extra_data"]
