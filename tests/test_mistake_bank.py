"""Every known mistake loses points on its own module only, and gets its own diagnosis.

Also proves the converse the brief demands: every check fails on at least one
realistic wrong implementation from the bank.

The bank is graded module by module (``tests/conftest.py``, ``grade_bank``):
each mistake's submission is the reference with one module changed, and only
that module is graded on it. Modules are graded independently (a module's
checks call only that module's functions), so the other modules of the
submission get the verdicts the reference gets; the tests below assert the
two facts this rests on: the submission holds the reference's other files
unchanged, and the reference keeps full marks on every module.
"""

import pytest

from checks.engine import course
from tests import bank, shared
from tests.conftest import MISTAKES, grade

DIAGNOSES = {m.key: m.diagnosis for pack in course.packs() for m in pack.definitions.MISCONCEPTIONS}


def _assert_full_marks_module_by_module(reference):
    assert list(reference) == list(course.modules())
    for module, results in reference.items():
        assert results, f"no check of {module} ran on the reference"
        failures = [f"{result.name}: {result.feedback}" for result in results if not result.passed]
        assert not failures, "\n".join(failures)


def test_reference_keeps_full_marks_module_by_module(bank_grades):
    _assert_full_marks_module_by_module(bank_grades.reference)


def test_reference_keeps_full_marks_module_by_module_on_explicit_examples_alone(explicit_bank_grades):
    _assert_full_marks_module_by_module(explicit_bank_grades.reference)


def _assert_loses_points_on_its_module_only(graded, entry):
    assert graded.graded_modules == (entry.module,)
    assert graded.unchanged_from_reference() == [module for module in course.modules() if module != entry.module]
    scores = graded.module_scores()
    score, maximum = scores.pop(entry.module)
    assert score < maximum, f"{entry.key} got full marks on {entry.module}"
    lost_elsewhere = {module: s for module, s in scores.items() if s[0] < s[1]}
    assert not lost_elsewhere, f"{entry.key} also lost points on {lost_elsewhere}"


@pytest.mark.parametrize("entry", MISTAKES, ids=lambda entry: entry.key)
def test_mistake_loses_points_on_its_module(mistake_grades, entry):
    """Its own module loses points; the others are the reference's files, whose verdicts are full marks (see above)."""
    _assert_loses_points_on_its_module_only(mistake_grades[entry.key], entry)


@pytest.mark.parametrize("entry", MISTAKES, ids=lambda entry: entry.key)
def test_mistake_is_caught_by_explicit_examples_alone(explicit_mistake_grades, entry):
    """Whatever Hypothesis version generates, the fixed examples already cost a known mistake points, on its module only."""
    _assert_loses_points_on_its_module_only(explicit_mistake_grades[entry.key], entry)


@pytest.mark.parametrize("entry", [e for e in MISTAKES if e.key in DIAGNOSES], ids=lambda entry: entry.key)
def test_mistake_gets_its_own_diagnosis(mistake_grades, entry):
    outputs = [test["output"] for test in mistake_grades[entry.key].failed(entry.module)]
    assert any(DIAGNOSES[entry.key] in output for output in outputs), "\n---\n".join(outputs)


def test_every_misconception_has_a_mistake_in_the_bank():
    assert set(DIAGNOSES) <= {entry.key for entry in MISTAKES}


def test_every_check_fails_on_some_mistake(mistake_grades, stub_grade):
    caught = {test["name"] for graded in mistake_grades.values() for test in graded.failed()}
    never = [test["name"] for test in stub_grade.report["tests"] if test["name"] not in caught]
    assert not never, f"no realistic wrong implementation fails: {never}"


def test_bank_counts(mistake_grades, pytestconfig):
    diagnosed = sum(
        any(DIAGNOSES[key] in t["output"] for t in graded.failed()) for key, graded in mistake_grades.items() if key in DIAGNOSES
    )
    modules = {entry.module for entry in MISTAKES}
    shared.summary_line(
        pytestconfig,
        f"mistake bank: {len(MISTAKES)} mistakes over {len(modules)} modules; "
        f"{len(DIAGNOSES)} misconceptions, {diagnosed} diagnosed as themselves",
    )
    assert modules == set(course.modules())


def test_the_entry_points_explicit_only_switch_gives_the_banks_verdicts(explicit_mistake_grades, tmp_path):
    """The bank's grader processes and the entry point agree, explicit-only switch included."""
    entry = next(entry for entry in MISTAKES if entry.key in DIAGNOSES)  # any diagnosed mistake of the bank
    graded = grade(bank.build_submission(entry, tmp_path / "submission"), "--only", entry.module, explicit_only=True)
    from_bank = [test for test in explicit_mistake_grades[entry.key].report["tests"] if test["tags"][0] == entry.module]
    assert graded.report["tests"] == from_bank
    assert graded.report["score"] < graded.report["max_score"]
