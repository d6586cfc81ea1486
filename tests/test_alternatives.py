"""Fairness: correct implementations written differently get full marks.

Each alternative changes one module of the reference and only that module is
graded on it; its other files are the reference's, unchanged (asserted here),
which keeps full marks on every module (``test_mistake_bank.py``). The
all-loops submission is complete and graded on every module.
"""

import pytest

from tests.conftest import ALTERNATIVES, LOOPS

KEYS = [entry.key for entry in ALTERNATIVES] + [LOOPS]
MODULE_OF = {entry.key: entry.module for entry in ALTERNATIVES}


def _assert_full_marks(graded, key):
    failures = [f"{t['name']}: {t['output']}" for t in graded.failed()]
    assert not failures, "\n".join(failures)
    assert graded.report["score"] == graded.report["max_score"]
    if key in MODULE_OF:
        assert graded.graded_modules == (MODULE_OF[key],)
        assert len(graded.unchanged_from_reference()) == len(graded.module_scores()) - 1


@pytest.mark.parametrize("key", KEYS)
def test_alternative_gets_full_marks(alternative_grades, key):
    _assert_full_marks(alternative_grades[key], key)


@pytest.mark.parametrize("key", KEYS)
def test_alternative_gets_full_marks_on_explicit_examples_alone(explicit_alternative_grades, key):
    _assert_full_marks(explicit_alternative_grades[key], key)
