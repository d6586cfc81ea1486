"""Known mistakes, recognised from what a wrong answer returns.

When a value check fails, ``diagnose(module, function)`` calls the student's
function on the pack's example calls (generic inputs: every known mistake
gives a different number there) and compares the answers with each of the
pack's ``MISCONCEPTIONS`` computed from the same inputs. A mistake that
matches at every probe names itself; the feedback then says what went wrong,
how to fix it and which lesson explains it.

The kit's test suite holds one small wrong implementation per misconception
and proves each one is diagnosed as itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from checks.engine import course
from checks.engine.sandbox import StudentError, SubmissionUnavailable


@dataclass(frozen=True)
class Misconception:
    """One known mistake in one function.

    Attributes
    ----------
    key : str
        Stable identifier, ``"<function>.<mistake>"``; the mistake bank names it.
    diagnosis : str
        What went wrong and how to fix it, addressed to the student.
    wrong : callable
        Computes the mistaken answer from the function's arguments.
    """

    key: str
    diagnosis: str
    wrong: Callable


def flat_numbers(value) -> np.ndarray | None:
    """One float vector from a number, an array or a pair; None if impossible."""
    try:
        if isinstance(value, (tuple, list)) and len(value) == 2 and np.ndim(value[1]) == 0:
            return np.concatenate([np.ravel(np.asarray(value[0], float)), [float(value[1])]])
        return np.ravel(np.asarray(value, float))
    except (TypeError, ValueError):
        return None


def _same(a, b) -> bool:
    a, b = flat_numbers(a), flat_numbers(b)
    return (
        a is not None
        and b is not None
        and a.shape == b.shape
        and bool(np.all(np.isfinite(a)))
        and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))
    )


# The keys of the misconceptions named since ``start_check()``: the grader records the first with the check's result.
_named_in_check: list[str] = []


def start_check() -> None:
    """Forget the misconceptions named so far: a new check begins."""
    _named_in_check.clear()


def named_in_check() -> str | None:
    """The key of the first misconception named since ``start_check()``, or None."""
    return _named_in_check[0] if _named_in_check else None


def diagnose(module, function: str) -> str | None:
    """Name the known mistake ``module.function`` makes, or return None.

    ``module`` is the ``StudentModule`` proxy. The answer is kept on it: a
    failing submission is probed once per function, not once per example.
    The mistake's key is noted for ``named_in_check()``.
    """
    memo_key = ("diagnosis", function)
    if memo_key not in module.memo:
        module.memo[memo_key] = _match(module, function)
    mistake = module.memo[memo_key]
    if mistake is None:
        return None
    _named_in_check.append(mistake.key)
    lesson = course.pack(module.name).lesson
    return f"{mistake.diagnosis} (lesson: docs/{lesson})"


def identify(module, function: str) -> Misconception | None:
    """The ``Misconception`` whose variant ``function`` reproduces at every probe."""
    pack = course.pack(module.name)
    probes = pack.example_calls(function)
    try:
        answers = [module.outcome(function, *probe).value for probe in probes]
    except (StudentError, SubmissionUnavailable):
        return None
    correct = pack.correct(function)
    if all(_same(answer, correct(*probe)) for answer, probe in zip(answers, probes)):
        return None
    for mistake in pack.misconceptions(function):
        if all(_same(answer, mistake.wrong(*probe)) for answer, probe in zip(answers, probes)):
            return mistake
    return None


def _match(module, function: str) -> Misconception | None:
    # The one place diagnosis probes a submission (tools/bench.py replaces it to measure the cost).
    return identify(module, function)
