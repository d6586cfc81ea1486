"""Turn a submission's answers into pass/fail with feedback a student can act on.

A failed check raises ``CheckFailed`` whose message is the feedback: the
(shrunk) call, what came back, what was expected, and, when a known mistake
explains the difference, its diagnosis.

Tolerances are taken from measured float error (``tests/test_tolerances.py``
re-measures them on every ``nox -s verify``):

- formula values: ``|got − expected| ≤ FORMULA_RTOL · scale``, where the
  oracle's *scale* is the same sum over absolute values, the bound on the
  rounding error of any float64 evaluation order. Correct implementations
  (vectorized, loops, lists) stay below 1e-14 · scale; the known mistakes are
  off by a constant factor or a whole term.
- closed-form coefficients, on well-posed data (cond ≤ 1e3):
  ``rtol = 1e-6`` and ``atol = 1e-8 · max(1, max |reference|)``. Correct
  solvers (solve, inv, SVD, Cholesky, augmented least squares, loops) agree to
  about 1e-11; real bugs are 1e-5 or more away.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np

from checks.engine import course

FORMULA_RTOL = 1e-9
COEFFICIENT_RTOL = 1e-6
COEFFICIENT_ATOL = 1e-8
TINY = 1e-290  # below this, float64 results are in the subnormal range


class CheckFailed(AssertionError):
    """A check's verdict; ``str()`` is the feedback shown to the student."""


def show(value) -> str:
    """A short, readable rendering of an argument or result."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
        return np.array2string(value, precision=6, threshold=12, edgeitems=3, separator=", ").replace("\n", "")
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}"
    if isinstance(value, (list, tuple)) and len(value) <= 12:
        inner = ", ".join(show(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


EXACT_LIMIT = 200  # arrays up to this many numbers are written out in full in a call


def _exact_number(value) -> str:
    number = float(value)
    if number != number:
        return "np.nan"
    if number in (math.inf, -math.inf):
        return "np.inf" if number > 0 else "-np.inf"
    return repr(number)


def _exact_nested(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_exact_nested(item) for item in value) + "]"
    return _exact_number(value) if isinstance(value, float) else repr(value)


def exact(value) -> str:
    """``value`` as Python source that rebuilds it exactly (NumPy imported as ``np``), for a copy-paste call.

    Arrays keep their type (``np.array([...])``, lists stay lists), NumPy
    scalars theirs (``np.int64(3)``), and every float is written with all its
    digits. An array of more than ``EXACT_LIMIT`` numbers is shortened (``show``).
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        if value.size > EXACT_LIMIT:
            return show(value)
        if value.size == 0:
            return f"np.empty({value.shape})"
        return f"np.array({_exact_nested(value.tolist())})"
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value)) if isinstance(value, bool) else f"np.bool_({bool(value)})"
    if isinstance(value, np.integer):
        return f"np.{type(value).__name__}({int(value)})"
    if isinstance(value, np.floating):
        return f"np.{type(value).__name__}({_exact_number(value)})"
    if isinstance(value, float):
        return _exact_number(value)
    if isinstance(value, list):
        return "[" + ", ".join(exact(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(exact(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    return show(value)


class Call:
    """A call of a student function, shown as ``name(param=value, ...)`` when printed.

    The text is Python source that repeats the call exactly (every digit of
    every input), so a student can paste it next to their function and see
    the case fail. Formatting arrays is slow, and feedback needs it only when
    a check fails, so the text is built on first use.
    """

    def __init__(self, function: str, args: tuple):
        self.function, self.args = function, args
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            names = course.parameter_names(self.function)
            parts = [f"{names[i]}={exact(arg)}" if i < len(names) else exact(arg) for i, arg in enumerate(self.args)]
            self._text = f"{self.function}({', '.join(parts)})"
        return self._text

    __repr__ = __str__


def describe_call(function: str, *args) -> Call:
    """The call ``function(*args)``, for feedback (formatted lazily)."""
    return Call(function, args)


def _loose_kind(value) -> tuple[str, str] | None:
    """What a valid argument of a type other than the plain one is, and how to accept it; None for plain values."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, np.integer):
        return (
            f"a NumPy integer (numpy.{type(value).__name__}), which counts as an integer",
            "accept it, e.g. with isinstance(value, (int, numpy.integer)) and not isinstance(value, bool)",
        )
    if isinstance(value, np.floating):
        return f"a NumPy float (numpy.{type(value).__name__}), which is a number", "accept it, e.g. convert it with float(value)"
    if isinstance(value, list):
        return "a list, which is valid input", "convert it first, with numpy.asarray(value, dtype=float)"
    return None


def loose_argument_note(function: str, args: tuple, message: str) -> str:
    """Why an exception on valid input is about an argument's type, when the message points at one; else empty.

    An argument counts when the message names its parameter or its type
    (``'list' object has no attribute 'shape'``).
    """
    names = course.parameter_names(function)
    notes = []
    for name, value in zip(names, args):
        kind = _loose_kind(value)
        if kind is None:
            continue
        mentioned = {name, type(value).__name__}
        if any(re.search(rf"\b{re.escape(word)}\b", message) for word in mentioned):
            what, fix = kind
            notes.append(f"{name} is {what}: {fix.replace('value', name)}.")
    return "\n".join(notes)


def fail(message: str):
    raise CheckFailed(message)


def as_number(got, call: Call) -> float:
    """Return ``got`` as a float, or fail saying what came back instead."""
    try:
        array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(f"{call} returned {show(got)} ({type(got).__name__}), which is not a number.")
    if array.shape != ():
        fail(f"{call} returned an array of shape {array.shape}; expected a single number.")
    _expect_finite(array, call)
    return float(array)


def as_vector(got, call: Call, shape: tuple[int, ...]) -> np.ndarray:
    """Return ``got`` as a float array of ``shape``, or fail with the difference."""
    try:
        array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(f"{call} returned {show(got)} ({type(got).__name__}), which is not an array of numbers.")
    if array.shape != shape:
        fail(f"{call} returned shape {array.shape}; expected shape {shape}.")
    _expect_finite(array, call)
    return array


def _expect_finite(array: np.ndarray, call: Call) -> None:
    """Every input the checks generate has a finite answer: NaN or infinity is never right."""
    if not np.all(np.isfinite(array)):
        fail(f"{call} returned {show(array[()])}, which is not finite; this input has a finite answer.")


def as_pair(got, call: Call) -> tuple:
    """Unpack a two-item result (``(w, b)`` or ``(grad_w, grad_b)``)."""
    if isinstance(got, (tuple, list)) and len(got) == 2:
        return got[0], got[1]
    fail(f"{call} returned {show(got)}; expected a tuple of two items.")


def _diagnosis_text(diagnose: Callable[[], str | None] | None) -> str:
    text = diagnose() if diagnose is not None else None
    return f"\nDiagnosis: {text}" if text else ""


def expect_close(
    got: np.ndarray | float,
    expected: np.ndarray | float,
    scale: np.ndarray | float,
    call: Call,
    *,
    formula: str,
    diagnose: Callable[[], str | None] | None = None,
    what: str = "",
) -> None:
    """Fail unless ``got`` matches ``expected`` within ``FORMULA_RTOL · scale``."""
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    tolerance = FORMULA_RTOL * np.asarray(scale, float) + TINY
    if np.all(np.abs(got - expected) <= tolerance):
        return
    label = f" {what}" if what else ""
    fail(f"{call} returned{label} {show(got[()])}; expected {show(expected[()])} = {formula}." + _diagnosis_text(diagnose))


def coefficients_close(got: np.ndarray | float, expected: np.ndarray | float) -> bool:
    """Closed-form tolerance: ``rtol = 1e-6``, ``atol = 1e-8 · max(1, max|expected|)``."""
    expected = np.asarray(expected, float)
    atol = COEFFICIENT_ATOL * max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    return bool(np.allclose(got, expected, rtol=COEFFICIENT_RTOL, atol=atol))
