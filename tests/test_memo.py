"""Oracles remember their answers by the exact values asked (``checks/packs/shared/memo.py``)."""

import numpy as np
import pytest

from checks.packs.shared.memo import by_value


def _counting(function):
    calls = []

    def counted(*args):
        calls.append(args)
        return function(*args)

    return by_value(counted), calls


def test_an_oracle_computes_each_distinct_question_once():
    oracle, calls = _counting(lambda X, lam: X * lam)
    first = oracle(np.arange(3.0), 0.5)
    again = oracle(np.arange(3.0), 0.5)  # equal values, other objects
    assert len(calls) == 1
    assert np.array_equal(first, again)


@pytest.mark.parametrize(
    "one, other",
    [
        ((0.0,), (-0.0,)),
        ((1,), (1.0,)),
        ((1,), (True,)),
        ((np.array([1.0, 2.0]),), (np.array([1, 2]),)),
        ((np.array([1.0, 2.0]),), (np.array([[1.0, 2.0]]),)),
        (([1.0, 2.0],), ((1.0, 2.0),)),
    ],
)
def test_values_that_compare_equal_but_differ_in_sign_type_or_shape_are_different_questions(one, other):
    oracle, calls = _counting(lambda value: 0.0)
    oracle(*one)
    oracle(*other)
    assert len(calls) == 2


def test_a_remembered_answer_is_read_only_and_leaves_the_arguments_writable():
    oracle, _ = _counting(lambda X: X)  # an answer that is its argument
    X = np.arange(3.0)
    answer = oracle(X)
    with pytest.raises(ValueError):
        answer[0] = 9.0
    X[0] = 9.0  # the caller's own array is not frozen
    assert oracle(np.arange(3.0))[0] == 0.0


def test_arguments_of_other_kinds_are_answered_but_not_remembered():
    oracle, calls = _counting(lambda mapping: len(mapping))
    assert oracle({"a": 1}) == 1
    assert oracle({"a": 1}) == 1
    assert len(calls) == 2
