"""Every known mistake loses points on its own module only, and gets its own diagnosis.

Also proves the converse the brief demands: every check fails on at least one
realistic wrong implementation from the bank.
"""

import pytest

from checks.engine import course
from tests.conftest import MISTAKES, ROOT

DIAGNOSES = {m.key: m.diagnosis for pack in course.packs() for m in pack.definitions.MISCONCEPTIONS}


@pytest.mark.parametrize("entry", MISTAKES, ids=lambda entry: entry.key)
def test_mistake_loses_points_on_its_module(mistake_grades, entry):
    scores = mistake_grades[entry.key].module_scores()
    score, maximum = scores.pop(entry.module)
    assert score < maximum, f"{entry.key} got full marks on {entry.module}"
    lost_elsewhere = {module: s for module, s in scores.items() if s[0] < s[1]}
    assert not lost_elsewhere, f"{entry.key} also lost points on {lost_elsewhere}"


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


def test_bank_counts(mistake_grades, capsys):
    diagnosed = sum(
        any(DIAGNOSES[key] in t["output"] for t in graded.failed()) for key, graded in mistake_grades.items() if key in DIAGNOSES
    )
    modules = {entry.module for entry in MISTAKES}
    with capsys.disabled():
        print(
            f"\nmistake bank: {len(MISTAKES)} mistakes over {len(modules)} modules; "
            f"{len(DIAGNOSES)} misconceptions, {diagnosed} diagnosed as themselves"
        )
    assert modules == set(course.modules())


@pytest.mark.parametrize("entry", MISTAKES, ids=lambda entry: entry.key)
def test_mistake_is_caught_by_explicit_examples_alone(explicit_mistake_grades, entry):
    """Whatever Hypothesis version generates, the fixed examples already cost a known mistake points."""
    score, maximum = explicit_mistake_grades[entry.key].module_scores()[entry.module]
    assert score < maximum, f"{entry.key} kept full marks on {entry.module} with generation turned off"


def test_reference_keeps_full_marks_on_explicit_examples_alone():
    from tests.conftest import EXPLICIT_ONLY, grade

    graded = grade(ROOT / "solutions", env=EXPLICIT_ONLY)
    assert graded.report["score"] == graded.report["max_score"], graded.stdout
