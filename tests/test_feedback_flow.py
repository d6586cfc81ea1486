"""The student's flow: hints on demand, progress after grading, watch mode, no shortcuts."""

import subprocess
import sys
import time

from checks.engine import course, hint, report
from tests.bank import build_submission
from tests.conftest import ROOT, grade


def test_hints_come_one_at_a_time_and_are_remembered(tmp_path, capsys):
    state = tmp_path / "hints.json"
    hints = course.pack("decay").hints
    for number in range(1, len(hints) + 2):
        assert hint.main(["decay"], state_file=state) == 0
        output = capsys.readouterr().out
        shown = min(number, len(hints))
        assert f"Hint {shown}/{len(hints)}: {hints[shown - 1]}" in output
        assert f"Hint {shown - 1}/" not in output
    assert "last hint" in output
    hint.main(["--reset"], state_file=state)
    hint.main(["decay"], state_file=state)
    assert f"Hint 1/{len(hints)}" in capsys.readouterr().out


def test_hint_for_an_unknown_module_is_an_error(tmp_path, capsys):
    assert hint.main(["nope"], state_file=tmp_path / "hints.json") == 2
    assert capsys.readouterr().err.startswith("error:")


def test_grading_ends_with_progress_and_the_next_module(stub_grade, reference_grade):
    assert f"0/{len(course.modules())} modules complete" in stub_grade.stdout
    assert "Next: penalty" in stub_grade.stdout and report.command("grade", "--only", "penalty") in stub_grade.stdout
    assert f"{len(course.modules())}/{len(course.modules())} modules complete" in reference_grade.stdout


def test_watch_regrades_the_saved_module(tmp_path):
    folder = build_submission(None, tmp_path / "watched")
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "checks.engine.watch", str(folder), "--interval", "0.1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = ""
        while "Save a file" not in output:
            output += process.stdout.readline()
        (folder / "decay.py").write_text(
            (folder / "decay.py").read_text() + "\ndef decay_factor(lr, lam, n_samples):\n    return 1.0\n"
        )
        saved = time.perf_counter()
        output = ""
        while "Save a file" not in output:
            output += process.stdout.readline()
        latency = time.perf_counter() - saved
    finally:
        process.terminate()
        process.wait(10)
    assert "re-graded decay" in output
    assert "decay" in output and f"{len(course.modules()) - 1}/{len(course.modules())} modules complete" in output
    print(f"\nwatch: result shown {latency:.2f} s after the save")
    assert latency < 10


def test_a_module_importing_scikit_learn_is_refused_from_its_code(tmp_path):
    folder = build_submission(None, tmp_path / "shortcut")
    # Never executed: the import line alone decides (scikit-learn is not even installed).
    (folder / "decay.py").write_text((folder / "decay.py").read_text() + "\nimport sklearn.linear_model\n")
    graded = grade(folder, "--only", "decay")
    assert graded.report["score"] == 0
    assert all("scikit-learn" in test["output"] for test in graded.report["tests"])
