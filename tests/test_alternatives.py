"""Fairness: correct implementations written differently get full marks."""

import pytest

from tests.conftest import ALTERNATIVES

KEYS = [entry.key for entry in ALTERNATIVES] + ["loops (complete submission)"]


@pytest.mark.parametrize("key", KEYS)
def test_alternative_gets_full_marks(alternative_grades, key):
    graded = alternative_grades[key]
    failures = [f"{t['name']}: {t['output']}" for t in graded.failed()]
    assert not failures, "\n".join(failures)
    assert graded.report["score"] == graded.report["max_score"]


@pytest.mark.parametrize("key", KEYS)
def test_alternative_gets_full_marks_on_explicit_examples_alone(explicit_alternative_grades, key):
    graded = explicit_alternative_grades[key]
    assert graded.report["score"] == graded.report["max_score"], [t["output"] for t in graded.failed()]
