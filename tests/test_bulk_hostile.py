"""Bulk grading against hostile students and misbehaving grader processes (a stand-in grader keeps these fast)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checks.engine import course, report, sandbox
from checks.engine.bulk import cli, pool
from checks.engine.bulk.intake import display_name
from tests.conftest import ROOT

FAKE = (sys.executable, str(ROOT / "tests" / "fake_grader.py"))
FIRST = course.modules()[0]


@pytest.fixture
def fake_grader(monkeypatch):
    monkeypatch.setattr(pool, "GRADER_COMMAND", FAKE)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def _student(folder: Path, name: str | bytes, first_text: str = "ok\n") -> Path:
    target = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    target.mkdir(parents=True)
    for module in course.modules():
        (target / f"{module}.py").write_text(first_text if module == FIRST else "ok\n")
    return target


def _gradebook(out: Path) -> dict[str, dict]:
    with (out / "gradebook.csv").open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def _grade(submissions: Path, out: Path, **options) -> list:
    return cli.grade_all(submissions, out, progress_stream=open(os.devnull, "w"), **options)


def test_a_forged_answer_is_refused_and_only_that_student_errs(fake_grader, tmp_path):
    for name in ("a", "b", "c"):
        _student(tmp_path / "class", name, "FORGE\n" if name == "b" else "ok\n")
    _grade(tmp_path / "class", tmp_path / "out", jobs=1, timeout=30)
    book = _gradebook(tmp_path / "out")
    assert book["b"]["status"] == "error" and "another request" in book["b"]["reason"]
    assert book["a"]["status"] == book["c"]["status"] == "ok"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("DIE", "died while grading"),
        ("HUGE", "malformed answer"),
        ("GARBAGE", "malformed report"),
    ],
)
def test_a_grader_that_breaks_the_protocol_costs_only_its_student(fake_grader, tmp_path, text, reason):
    for name in ("a", "b", "c"):
        _student(tmp_path / "class", name, f"{text}\n" if name == "b" else "ok\n")
    _grade(tmp_path / "class", tmp_path / "out", jobs=1, timeout=30)
    book = _gradebook(tmp_path / "out")
    assert book["b"]["status"] == "error" and reason in book["b"]["reason"]
    assert book["a"]["status"] == book["c"]["status"] == "ok"


def test_a_stopped_grader_is_killed_at_the_timeout_and_replaced_at_once(fake_grader, tmp_path):
    for name in ("a", "b", "c", "d"):
        _student(tmp_path / "class", name, "STOP\n" if name == "b" else "ok\n")
    began = time.monotonic()
    _grade(tmp_path / "class", tmp_path / "out", jobs=1, timeout=3)
    seconds = time.monotonic() - began
    book = _gradebook(tmp_path / "out")
    assert book["b"]["status"] == "error" and "longer than 3 s" in book["b"]["reason"]
    assert [book[name]["status"] for name in ("a", "c", "d")] == ["ok"] * 3
    assert seconds < 3 + 15, "the students after the stopped grader waited for more than its time-out"


def test_a_grader_process_gone_from_the_pool_is_dead(fake_grader, tmp_path):
    _student(tmp_path / "class", "b", "STOP\n")
    grader = pool.GraderProcess(tmp_path / "log")
    grader.start()
    pid = grader.process.pid
    with pytest.raises(pool.GraderFailed):
        grader.grade(tmp_path / "class" / "b", timeout=2, seed=0)
    assert grader.process is None and not Path(f"/proc/{pid}").exists()


def test_each_scratch_copy_is_private(fake_grader, tmp_path):
    _student(tmp_path / "class", "a")
    _grade(tmp_path / "class", tmp_path / "out", jobs=1, timeout=30)
    extra = json.loads((tmp_path / "out" / "reports" / "a.json").read_text())["extra_data"]
    assert extra["folder_mode"] == extra["parent_mode"] == "0o700"


def test_a_rerun_reuses_a_report_only_for_the_same_files_and_checks(fake_grader, tmp_path):
    for name in ("same", "edited", "rechecked"):
        _student(tmp_path / "class", name)
    out = tmp_path / "out"
    _grade(tmp_path / "class", out, jobs=1, timeout=30)
    (tmp_path / "class" / "edited" / f"{FIRST}.py").write_text("ok, edited\n")
    for name in ("same", "edited", "rechecked"):  # as if graded by these checks, except "rechecked"
        path = out / "reports" / f"{name}.json"
        document = json.loads(path.read_text())
        document["extra_data"]["checks_sha256"] = "0" * 64 if name == "rechecked" else report.checks_fingerprint()
        path.write_text(json.dumps(document))
    results = {result.student: result for result in _grade(tmp_path / "class", out, jobs=1, timeout=30)}
    assert results["same"].skipped and not results["edited"].skipped and not results["rechecked"].skipped


NAMES = [b"caf\xe9", "new\nline", "=cmd", "tab\tbed", "é" * 127, "ünï", "a b"]


def test_any_folder_name_becomes_an_escaped_row(fake_grader, tmp_path):
    for name in NAMES:
        _student(tmp_path / "class", name)
    _grade(tmp_path / "class", tmp_path / "out", jobs=2, timeout=30)
    book = _gradebook(tmp_path / "out")
    assert len(book) == len(NAMES) and all(row["status"] == "ok" for row in book.values())
    assert "caf\\xe9" in book and "new\\x0aline" in book and "'=cmd" in book
    assert all(row["student"].isprintable() for row in book.values())
    assert len(list((tmp_path / "out" / "reports").glob("*.json"))) == len(NAMES)


def test_display_names_are_printable_and_distinct():
    shown = [display_name(name) for name in NAMES]
    assert all(name.isprintable() for name in shown) and len(set(shown)) == len(shown)


def test_the_out_folder_holds_no_half_written_file(fake_grader, tmp_path):
    _student(tmp_path / "class", "a")
    out = tmp_path / "out"
    _grade(tmp_path / "class", out, jobs=1, timeout=30)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["canvas.csv", "grader.log", "gradebook.csv", "report.html", "reports"]
    )
    assert not list((out / "reports").glob(".*"))


def test_without_isolation_one_warning_line_says_so(tmp_path):
    (tmp_path / "class").mkdir()
    completed = subprocess.run(
        [sys.executable, "-m", "checks.engine.bulk", str(tmp_path / "class"), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    warnings = [line for line in completed.stderr.splitlines() if line.startswith("warning:")]
    assert completed.returncode == 0
    assert len(warnings) == (0 if sandbox.isolation_level() == "jail" else 1)


def test_a_failure_while_recording_a_student_still_gives_everyone_a_row(fake_grader, tmp_path, monkeypatch):
    submissions = tmp_path / "submissions"
    for name in ("alice", "bob", "carol"):
        _student(submissions, name)
    write_json = report.write_json

    def failing_for_bob(path, document):
        if path.stem == "bob" and document["extra_data"].get("grading_status") != "error":
            raise UnicodeEncodeError("utf-8", "\udcff", 0, 1, "a forged string")
        write_json(path, document)

    monkeypatch.setattr(report, "write_json", failing_for_bob)
    results = _grade(submissions, tmp_path / "out", jobs=1)
    assert {result.student: result.status for result in results} == {"alice": "ok", "bob": "error", "carol": "ok"}
    assert set(_gradebook(tmp_path / "out")) == {"alice", "bob", "carol"}
