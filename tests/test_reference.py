"""The reference solutions earn full marks, the untouched stubs earn nothing, and reports are sound."""

import re

from checks.engine import course
from tests import bank
from tests.conftest import MISTAKES, grade

REQUIRED_TEST_FIELDS = {"name": str, "score": (int, float), "max_score": (int, float), "status": str, "output": str, "tags": list}


def test_solutions_get_full_marks(reference_grade):
    report = reference_grade.report
    failures = [f"{t['name']}: {t['output']}" for t in reference_grade.failed()]
    assert not failures, "\n".join(failures)
    assert report["score"] == report["max_score"] > 0
    assert reference_grade.returncode == 0


def test_stubs_get_zero_and_the_grader_finishes(stub_grade):
    assert stub_grade.returncode == 1
    assert stub_grade.report["score"] == 0
    assert "Traceback" not in stub_grade.stdout + stub_grade.stderr


def test_every_check_fails_on_the_stubs(stub_grade):
    passing = [t["name"] for t in stub_grade.report["tests"] if t["status"] == "passed"]
    assert not passing


def test_stub_feedback_says_not_implemented(stub_grade):
    for test in stub_grade.report["tests"]:
        assert "not implemented yet" in test["output"], test


def test_report_has_the_gradescope_schema(reference_grade, stub_grade):
    for graded in (reference_grade, stub_grade):
        report = graded.report
        assert isinstance(report["score"], (int, float)) and isinstance(report["max_score"], (int, float))
        assert report["score"] == sum(t["score"] for t in report["tests"])
        assert report["max_score"] == sum(t["max_score"] for t in report["tests"])
        for test in report["tests"]:
            for field, kind in REQUIRED_TEST_FIELDS.items():
                assert isinstance(test[field], kind), (field, test)
            assert test["status"] in {"passed", "failed"}
            assert test["tags"][0] in course.modules()
            assert test["name"].startswith(test["tags"][0] + ": ")
            assert test["score"] == (test["max_score"] if test["status"] == "passed" else 0)
        assert re.fullmatch(r"[0-9a-f]{64}", report["extra_data"]["checks_sha256"])


def test_every_module_is_listed_with_all_its_checks(reference_grade, stub_grade):
    assert reference_grade.module_scores().keys() == set(course.modules())
    assert [t["name"] for t in reference_grade.report["tests"]] == [t["name"] for t in stub_grade.report["tests"]]


def test_table_shows_every_module_and_the_total(stub_grade):
    for module in course.modules():
        assert re.search(rf"{module}\s+0 / \d+", stub_grade.stdout)
    assert re.search(r"Total\s+0 / \d+", stub_grade.stdout)


def _mistake(key):
    return next(entry for entry in MISTAKES if entry.key == key)


# The kit's tests may run as root or under CI, where every grading draws a fresh seed: runs compared here share one.
SEED = ("--seed", "20261204")


def test_grading_twice_gives_the_same_report(tmp_path):
    """Determinism on a submission that fails in an input-dependent way (shrunk examples in the feedback)."""
    folder = bank.build_submission(_mistake("ridge_gradients.penalty_forgot_1_over_n"), tmp_path / "mistake")
    first, again = grade(folder, *SEED), grade(folder, *SEED)
    assert again.report["tests"] == first.report["tests"]
    assert again.report["score"] == first.report["score"] < first.report["max_score"]


def test_only_gives_the_same_verdicts_as_a_full_run(tmp_path):
    folder = bank.build_submission(_mistake("gradient_step.decays_bias"), tmp_path / "mistake")
    only = grade(folder, "--only", "bias", *SEED)
    full = [test for test in grade(folder, *SEED).report["tests"] if test["tags"][0] == "bias"]
    assert only.report["tests"] == full


def test_a_diagnosed_failure_carries_its_misconception_key(tmp_path):
    diagnosed = {m.key for pack in course.packs() for m in pack.definitions.MISCONCEPTIONS}
    entry = next(entry for entry in MISTAKES if entry.key in diagnosed)
    graded = grade(bank.build_submission(entry, tmp_path / "mistake"), "--only", entry.module, *SEED)
    keys = {test.get("extra_data", {}).get("misconception") for test in graded.failed()}
    assert entry.key in keys, graded.stdout
    assert all("extra_data" not in test for test in graded.report["tests"] if test["status"] == "passed")
