"""The notebook front end: the workbook runs headless in a real kernel and ``%grade`` shows what ``nox -s grade`` gives."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checks.engine import course, notebook
from tests import bank
from tests.conftest import MISTAKES, ROOT, grade
from tools import workbook

nbformat = pytest.importorskip("nbformat", reason="nbformat is installed by nox -s verify (the notebook group)")
nbclient = pytest.importorskip("nbclient", reason="nbclient is installed by nox -s verify (the notebook group)")

KIT_PIECES = ("checks", "lock", "pyproject.toml", "ridge_lab.py")
CELL_TIMEOUT_SECONDS = 300
ROW = re.compile(r"<code>(\w+)</code></td><td [^>]*>(\d+)&nbsp;/&nbsp;(\d+)</td>")


def make_kit(destination: Path, exercises: Path) -> Path:
    """A copy of the kit whose ``exercises/`` is a copy of ``exercises``, its grading environment this Python.

    The recorded interpreter is what ``nox -s student`` writes; this Python
    has the grade lock's versions (``test_lock.py`` checks it).
    """
    for piece in KIT_PIECES:
        source = ROOT / piece
        if source.is_dir():
            shutil.copytree(source, destination / piece, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, destination / piece)
    shutil.copytree(exercises, destination / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    (destination / workbook.WORKBOOK.name).write_text(workbook.text(), encoding="utf-8")  # as the release ships it
    record = destination / notebook.STUDENT_PYTHON_RECORD.relative_to(notebook.KIT_ROOT)
    record.parent.mkdir(parents=True)
    record.write_text(sys.executable)
    return destination


def execute(notebook_node, kit: Path, monkeypatch):
    """Run every cell in a fresh kernel started in ``kit`` (as Jupyter starts one beside the notebook)."""
    monkeypatch.setenv("GRADER_CACHE", "0")  # grade every module afresh, as a grade of record would
    monkeypatch.delenv("PYTHONPATH", raising=False)  # the kernel must import the kit copy's checks
    client = nbclient.NotebookClient(
        notebook_node, timeout=CELL_TIMEOUT_SECONDS, kernel_name="python3", resources={"metadata": {"path": str(kit)}}
    )
    client.execute()
    return notebook_node


def outputs_of(executed, source: str) -> list[dict]:
    return [output for cell in executed.cells if cell.cell_type == "code" and cell.source == source for output in cell.outputs]


def rendered_scores(outputs: list[dict]) -> dict[str, tuple[int, int]]:
    """``{module: (score, max_score)}`` as the rendered HTML tables show them."""
    scores = {}
    for output in outputs:
        for module, score, maximum in ROW.findall(output.get("data", {}).get("text/html", "")):
            scores[module] = (int(score), int(maximum))
    return scores


def plain_text(outputs: list[dict]) -> str:
    return "\n".join(output.get("data", {}).get("text/plain", output.get("text", "")) for output in outputs)


def one_line(text: str) -> str:
    """``text`` with every run of white space one space: the plain-text table wraps to the terminal's width."""
    return " ".join(text.split())


def stderr_of(executed) -> str:
    return "".join(
        output.get("text", "") for cell in executed.cells for output in cell.get("outputs", []) if output.get("name") == "stderr"
    )


# ------------------------------------------------------------ the workbook file


def test_the_workbook_is_a_valid_notebook_without_outputs():
    node = nbformat.reads(workbook.text(), as_version=4)
    nbformat.validate(node)
    code = [cell for cell in node.cells if cell.cell_type == "code"]
    assert [cell.outputs for cell in code] == [[]] * len(code)
    assert {cell.execution_count for cell in code} == {None}


def test_the_workbook_has_one_section_per_exercise_in_the_course_order():
    node = nbformat.reads(workbook.text(), as_version=4)
    graded = [cell.source.split()[1] for cell in node.cells if cell.source.startswith("%grade ")]
    assert graded == list(course.modules())
    for pack in course.packs():
        assert any(f"](docs/{pack.lesson})" in cell.source for cell in node.cells if cell.cell_type == "markdown"), pack.module


# ------------------------------------------------------------ the workbook, executed headless


@pytest.mark.slow
def test_the_workbook_on_the_solutions_shows_full_marks_as_nox_grade_does(tmp_path, monkeypatch, reference_grade):
    kit = make_kit(tmp_path / "kit", ROOT / "solutions")
    executed = execute(nbformat.read(kit / workbook.WORKBOOK.name, as_version=4), kit, monkeypatch)
    assert stderr_of(executed) == ""
    for module in course.modules():
        outputs = outputs_of(executed, f"%grade {module}")
        shown = rendered_scores(outputs)
        assert shown == {module: reference_grade.module_scores()[module]}, plain_text(outputs)
        assert shown[module][0] == shown[module][1] > 0
    outputs = outputs_of(executed, "%grade")
    assert rendered_scores(outputs) == reference_grade.module_scores(), plain_text(outputs)
    report = json.loads((kit / notebook.DEFAULT_REPORT).read_text())
    assert (report["score"], report["max_score"]) == (reference_grade.report["max_score"],) * 2


@pytest.mark.slow
def test_the_workbook_on_the_stubs_shows_zero_feedback_and_a_hint(tmp_path, monkeypatch, stub_grade):
    kit = make_kit(tmp_path / "kit", ROOT / "exercises")
    executed = execute(nbformat.read(kit / workbook.WORKBOOK.name, as_version=4), kit, monkeypatch)
    assert stderr_of(executed) == ""
    everything = rendered_scores(outputs_of(executed, "%grade"))
    assert everything == stub_grade.module_scores()
    assert {score for score, _ in everything.values()} == {0}
    first = course.modules()[0]
    grade_outputs = outputs_of(executed, f"%grade {first}")
    first_failure = stub_grade.failed(first)[0]
    assert html.escape(first_failure["output"]) in grade_outputs[0]["data"]["text/html"]
    assert one_line(first_failure["output"]) in one_line(grade_outputs[0]["data"]["text/plain"])  # wrapped to the terminal
    hint = outputs_of(executed, f"%hint {first}")[0]["data"]
    first_hint = course.pack(first).hints[0]
    assert html.escape(first_hint) in hint["text/html"]
    assert f"Hint 1/{len(course.pack(first).hints)}: {first_hint}" in hint["text/plain"]
    exercise = outputs_of(executed, f"%exercise {first}")[0]["data"]["text/plain"]
    assert f"exercises/{first}.py" in exercise


@pytest.mark.slow
def test_a_hang_in_the_students_code_does_not_hang_the_kernel(tmp_path, monkeypatch):
    module = course.modules()[0]
    kit = make_kit(tmp_path / "kit", ROOT / "exercises")
    function, parameters = next(iter(course.pack(module).functions.items()))
    stub = kit / "exercises" / f"{module}.py"
    signature = ", ".join(parameter.name for parameter in parameters)
    stub.write_text(stub.read_text() + f"\n\ndef {function}({signature}):\n    while True:\n        pass\n")
    cells = [f"%load_ext {workbook.EXTENSION}", f"%grade {module}", "print('the kernel still answers')"]
    node = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    started = time.monotonic()
    executed = execute(node, kit, monkeypatch)
    assert time.monotonic() - started < CELL_TIMEOUT_SECONDS
    score, maximum = rendered_scores(outputs_of(executed, f"%grade {module}"))[module]
    assert score == 0 < maximum
    assert outputs_of(executed, cells[-1])[0]["text"] == "the kernel still answers\n"


# ------------------------------------------------------------ the extension's parts


def test_a_report_with_a_diagnosis_renders_as_html_and_text(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_CACHE", "0")
    for entry in MISTAKES:
        graded = grade(bank.build_submission(entry, tmp_path / entry.key), "--only", entry.module)
        failed = graded.failed(entry.module)
        if failed and "\nDiagnosis: " in failed[0]["output"]:
            break  # the notebook shows a module's first failing check
    else:
        pytest.fail("no mistake of the bank is diagnosed on its first failing check")
    shown = notebook.GradeReport.from_json(graded.report)
    module = entry.module
    feedback = failed[0]["output"]
    lesson = re.search(r"\(lesson: (docs/[^)]+)\)", feedback).group(1)
    rendered = shown.html()
    assert rendered_scores([{"data": {"text/html": rendered}}]) == graded.module_scores()
    diagnosis = feedback.split("\nDiagnosis: ", 1)[1].split(" (lesson: ")[0]
    href = Path(os.path.relpath(ROOT / lesson.split("#")[0], Path.cwd())).as_posix()
    assert f'Diagnosis: {html.escape(diagnosis)} (lesson: <a href="{href}' in rendered
    assert f">{lesson}</a>)" in rendered
    assert f">docs/{course.pack(module).lesson}</a>" in rendered
    text = shown.text()
    assert f"Diagnosis: {diagnosis.split()[0]}" in text and f"%hint {module}" in text
    assert "<a " not in text and "&nbsp;" not in text


def test_a_module_name_first_grades_only_that_module():
    first = course.modules()[0]
    assert notebook.grader_arguments(f"{first} some/folder") == ["--only", first, "some/folder"]
    assert notebook.grader_arguments("some/folder --no-cache") == ["some/folder", "--no-cache"]
    assert notebook.report_path(["--report", "out.json"]) == notebook.KIT_ROOT / "out.json"
    assert notebook.report_path([]) == notebook.KIT_ROOT / notebook.DEFAULT_REPORT


def test_a_grader_that_does_not_finish_is_stopped_with_everything_it_started(tmp_path):
    pid_file = tmp_path / "child.pid"
    stuck = tmp_path / "stuck-python"
    stuck.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {pid_file}\nwait\n")
    stuck.chmod(stuck.stat().st_mode | stat.S_IXUSR)
    started = time.monotonic()
    with pytest.raises(notebook.NotebookError, match=r"did not finish within 2 s and was stopped"):
        notebook.run_grader([], python=str(stuck), timeout=2)
    assert time.monotonic() - started < 30
    child = int(pid_file.read_text())
    still_there = subprocess.run(["ps", "-o", "stat=", "-p", str(child)], capture_output=True, text=True).stdout.strip()
    assert still_there in ("", "Z"), f"the grader's child {child} survived ({still_there})"


def test_a_grader_error_is_its_one_error_line(tmp_path):
    with pytest.raises(notebook.NotebookError) as raised:
        notebook.run_grader([str(tmp_path / "missing")], python=sys.executable)
    assert str(raised.value) == f"no such folder: {tmp_path / 'missing'}"
