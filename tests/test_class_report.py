"""The class report, canvas.csv, shards and their merge, on synthetic per-student reports (no grading)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from checks.engine import course, report
from checks.engine.bulk import classreport, outputs, shards
from checks.engine.bulk.gradebook import Person, canvas_text, result_from_report
from checks.engine.bulk.intake import report_stem
from checks.engine.files import UsageError
from tests.conftest import ROOT

MODULES = course.modules()
MISTAKE = course.packs()[0].definitions.MISCONCEPTIONS[0]
LESSON = f"docs/{course.packs()[0].lesson}"


def _document(
    student: str, *, failing: dict[str, int] | None = None, mistake: bool = False, error: str = "", stub: str = ""
) -> dict:
    """A bulk report: two checks per module; ``failing`` fails that many checks of a module."""
    extra = {"kit_version": report.kit_version(), "checks_sha256": "c" * 64, "student": student, "submission": student}
    if error:
        return {
            "score": 0,
            "max_score": 0,
            "tests": [],
            "extra_data": extra | {"grading_status": "error", "grading_error": error},
        }
    tests = []
    for module in MODULES:
        for index in range(2):
            failed = index < (failing or {}).get(module, 0)
            output = "wrong" + (
                f"\nDiagnosis: {MISTAKE.diagnosis} (lesson: {LESSON})" if failed and mistake and module == MODULES[0] else ""
            )
            tests.append(
                {
                    "name": f"{module}: check {index}",
                    "score": 0 if failed else 1,
                    "max_score": 1,
                    "status": "failed" if failed else "passed",
                    "output": output if failed else "",
                    "tags": [module],
                }
            )
    digests = {f"{module}.py": "0" * 64 for module in MODULES}
    if stub:
        digests[f"{stub}.py"] = hashlib.sha256((ROOT / "exercises" / f"{stub}.py").read_bytes()).hexdigest()
    extra |= {"files_sha256": digests}
    return {"score": sum(t["score"] for t in tests), "max_score": len(tests), "tests": tests, "extra_data": extra}


@pytest.fixture(scope="module")
def klass() -> list[dict]:
    documents = [_document(f"s{index:02d}", failing={MODULES[0]: 1}, mistake=index < 7) for index in range(10)]
    documents += [
        _document("zero", failing={MODULES[1]: 2}),
        _document("broken", error="not a readable zip file"),
        _document("lazy", stub=MODULES[2]),
    ]
    return sorted(documents, key=lambda d: d["extra_data"]["student"])


@pytest.fixture(scope="module")
def page(klass) -> str:
    return classreport.build(klass)


def _section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"', 1)[1].split("<h2", 1)[0]


def test_the_report_is_self_contained(page):
    assert "<svg" in page and not re.search(r"<(script|link|img|iframe)\b|\bsrc=|url\(", page)


def test_checks_are_sorted_by_the_share_of_students_who_failed_them(page, klass):
    shares = [int(share) for share in re.findall(r'<td class="n">(\d+) %</td>', _section(page, "checks"))]
    assert shares == sorted(shares, reverse=True) and shares[0] == round(100 * 10 / 12)


def test_each_misconception_counts_its_students_and_names_its_lesson(page):
    section = _section(page, "misconceptions")
    row = section.split(MISTAKE.key, 1)[0].rsplit("<tr>", 1)[1] + section.split(MISTAKE.key, 1)[1].split("</tr>", 1)[0]
    assert '<td class="n">7</td>' in row and LESSON in row and "s06" in row and "s07" not in row


def test_who_needs_attention_lists_errors_zeros_and_stubs(page):
    section = _section(page, "attention")
    assert "broken</b>: not a readable zip file" in section
    assert f"<b>{MODULES[1]}</b> (1): zero" in section
    assert f"lazy</b>: {MODULES[2]}.py" in section


def test_the_report_shows_the_checks_and_environment(page):
    assert "c" * 64 in _section(page, "environment") and report.kit_version() in _section(page, "environment")


def _canvas(klass, roster=None, layout="total") -> list[list[str]]:
    return list(csv.reader(io.StringIO(canvas_text([result_from_report(d) for d in klass], roster or {}, layout))))


def test_canvas_csv_has_canvas_columns_and_points_possible(klass):
    rows = _canvas(klass)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", course.name()]
    assert rows[1][0].strip() == "Points Possible" and rows[1][5] == str(2 * len(MODULES))
    assert {row[0]: row[5] for row in rows[2:]}["broken"] == ""


def test_canvas_csv_can_give_one_column_per_module(klass):
    rows = _canvas(klass, layout="modules")
    assert rows[0][5:] == [f"{course.name()}: {module}" for module in MODULES]
    assert {row[0]: row[6] for row in rows[2:]}["zero"] == "0"


def test_a_roster_gives_canvas_names_and_ids(klass):
    rows = _canvas(klass, {"s00": Person("Ada Lovelace", "1001", "A1", "ada", "S1")})
    assert ["Ada Lovelace", "1001", "A1", "ada", "S1", str(2 * len(MODULES) - 1)] in rows


def test_shards_are_disjoint_and_cover_the_class():
    names = [f"student{index}" for index in range(300)]
    chosen = [[name for name in names if shards.in_shard(name, k, 3)] for k in (1, 2, 3)]
    assert sorted(sum(chosen, [])) == sorted(names) and all(chosen)


def test_a_student_lands_in_the_same_shard_in_every_process():
    probe = "from checks.engine.bulk.shards import in_shard; print([k for k in range(1, 6) if in_shard('caf\\\\xe9', k, 5)])"
    seen = {
        subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, env={"PYTHONHASHSEED": seed, "PATH": ""}
        ).stdout
        for seed in ("1", "2")
    }
    assert len(seen) == 1 and seen.pop().strip() != "[]"


def _write_shards(klass, base: Path, n: int, pinned: dict | None = None) -> list[Path]:
    folders = []
    for k in range(1, n + 1):
        folder = base / f"grades-{k}"
        (folder / "reports").mkdir(parents=True)
        mine = [d for d in klass if shards.in_shard(d["extra_data"]["student"], k, n)]
        for document in mine:
            if pinned and k == n:
                document = {**document, "extra_data": {**document["extra_data"], **pinned}}
            report.write_json(folder / "reports" / f"{report_stem(document['extra_data']['student'])}.json", document)
        shards.write_manifest(folder, k, n, len(mine))
        folders.append(folder)
    return folders


def test_a_merge_of_shards_is_byte_for_byte_one_unsharded_run(klass, tmp_path):
    whole = tmp_path / "whole"
    whole.mkdir()
    outputs.write_all(whole, klass, {}, "total")
    shards.merge(_write_shards(klass, tmp_path, 2), tmp_path / "merged")
    for name in ("gradebook.csv", "canvas.csv", "report.html"):
        assert (tmp_path / "merged" / name).read_bytes() == (whole / name).read_bytes(), name
    assert len(list((tmp_path / "merged" / "reports").glob("*.json"))) == len(klass)


@pytest.mark.parametrize("key", ["checks_sha256", "lock_sha256"])
def test_a_merge_refuses_shards_graded_differently(klass, tmp_path, key):
    folders = _write_shards(klass, tmp_path, 2, pinned={key: "d" * 64})
    if key == "lock_sha256":  # only one shard names a lock: give the other one a different one
        for path in (folders[0] / "reports").glob("*.json"):
            text = path.read_text().replace('"student"', f'"lock_sha256": "{"e" * 64}", "student"', 1)
            path.write_text(text)
    with pytest.raises(UsageError, match=key):
        shards.merge(folders, tmp_path / "merged")


def test_a_merge_refuses_an_incomplete_set_of_shards(klass, tmp_path):
    folders = _write_shards(klass, tmp_path, 3)
    with pytest.raises(UsageError, match="missing 2"):
        shards.merge([folders[0], folders[2]], tmp_path / "merged")


def test_a_merge_refuses_a_student_graded_twice(klass, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        (folder / "reports").mkdir(parents=True)
        report.write_json(folder / "reports" / "s00.json", klass[0])
    with pytest.raises(UsageError, match="graded in both"):
        shards.merge([a, b], tmp_path / "merged")


def test_the_class_report_rebuilds_from_the_reports_alone(klass, tmp_path):
    (tmp_path / "reports").mkdir()
    for document in klass:
        report.write_json(tmp_path / "reports" / f"{document['extra_data']['student']}.json", document)
    completed = subprocess.run(
        [sys.executable, "-m", "checks.engine.bulk.classreport", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "report.html").read_text() == classreport.build(klass)


@pytest.mark.parametrize("workflow", ["grade-class.yml"])  # the Classroom workflow: tests/test_classroom.py
def test_the_workflows_follow_githubs_schema(workflow):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(ROOT / ".github" / "workflows" / workflow),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
