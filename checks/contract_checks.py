"""The contract's rules that every function follows, checked the same way everywhere.

Each module's test file calls these for its own functions: input validation
(``ValueError`` naming the argument), return types, no modification in place
and acceptance of lists and NumPy scalars. Bad inputs are derived from one
valid example call (``strategies.EXAMPLE_CALLS``) by replacing one argument,
chosen by the contract's parameter name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import numpy as np

from checks.feedback import PARAMETERS, describe_call, fail, show
from checks.sandbox import StudentError
from checks.strategies import EXAMPLE_CALLS

ARRAYS_1D = {"w", "y", "theta", "w0"}
ARRAYS_2D = {"X", "Xa"}
# For a mismatch, which argument's length must agree with which dimension of which matrix.
PARTNERS = {"y": 0, "w": 1, "theta": 1}


def _example(function: str) -> list:
    return list(EXAMPLE_CALLS[function][0])


def _with(function: str, name: str, value) -> tuple[list, str]:
    args = _example(function)
    args[PARAMETERS[function].index(name)] = value
    return args, name


def bad_lam(function: str) -> Iterator[tuple[list, tuple[str, ...], str]]:
    """Calls whose ``lam`` is negative or not finite."""
    for value, why in ((-0.5, "lam is negative"), (math.nan, "lam is NaN"), (math.inf, "lam is infinite")):
        args, name = _with(function, "lam", value)
        yield args, (name,), why


def bad_lr(function: str):
    """Calls whose learning rate is not positive or not finite."""
    for value, why in ((0.0, "lr is 0"), (-0.1, "lr is negative"), (math.nan, "lr is NaN")):
        args, name = _with(function, "lr", value)
        yield args, (name,), why


def bad_counts(function: str):
    """Calls with a count that is too small, a bool or a float (also 3.0)."""
    for name in ("n_samples", "n_steps"):
        if name not in PARAMETERS[function]:
            continue
        smallest = 1 if name == "n_samples" else 0
        for value, why in (
            (smallest - 1, f"{name} is {smallest - 1}"),
            (True, f"{name} is a bool"),
            (3.0, f"{name} is the float 3.0, not an int"),
            (2.5, f"{name} is 2.5"),
        ):
            args, _ = _with(function, name, value)
            yield args, (name,), why


def bad_shapes(function: str):
    """Calls with an array of the wrong dimension, an empty one, or mismatched lengths."""
    parameters = PARAMETERS[function]
    matrix = next((name for name in parameters if name in ARRAYS_2D), None)
    for name in parameters:
        if name in ARRAYS_2D:
            args, _ = _with(function, name, np.ravel(_example(function)[parameters.index(name)]))
            yield args, (name,), f"{name} is 1-D"
        elif name in ARRAYS_1D:
            original = np.asarray(_example(function)[parameters.index(name)])
            args, _ = _with(function, name, original[:, None])
            yield args, (name,), f"{name} is 2-D"
            args, _ = _with(function, name, np.array([]))
            yield args, (name,), f"{name} is empty"
            if matrix is not None and name in PARTNERS:
                args, _ = _with(function, name, np.append(original, 0.5))
                axis = "rows" if PARTNERS[name] == 0 else "columns"
                yield args, (name, matrix), f"{name} has one entry more than {matrix} has {axis}"


def bad_values(function: str):
    """Calls with NaN or infinity inside an array or the bias."""
    parameters = PARAMETERS[function]
    for name in parameters:
        if name in ARRAYS_1D | ARRAYS_2D:
            for value, word in ((math.nan, "NaN"), (math.inf, "infinity")):
                array = np.array(_example(function)[parameters.index(name)], dtype=float)
                array.flat[array.size // 2] = value
                args, _ = _with(function, name, array)
                yield args, (name,), f"{name} contains {word}"
        elif name == "b":
            args, _ = _with(function, name, math.nan)
            yield args, (name,), "b is NaN"


def expect_rejected(module, functions, cases) -> None:
    """Every call from ``cases(function)`` must raise ValueError naming an argument."""
    for function in functions:
        for args, names, why in cases(function):
            call = describe_call(function, *args)
            try:
                got = module.outcome(function, *args).value
            except StudentError as error:
                if not error.is_value_error:
                    fail(f"{call} raised {error.type_name}: {error.message}\nExpected ValueError because {why}.")
                if not any(re.search(rf"\b{re.escape(name)}\b", error.message) for name in names):
                    named = " or ".join(repr(name) for name in names)
                    fail(
                        f"{call} raised ValueError({error.message!r}), but the message does not name {named}.\n"
                        f"Say which argument is wrong ({why})."
                    )
                continue
            fail(f"{call} returned {show(got)} instead of raising ValueError.\nBad input not rejected: {why}.")


def expect_unmodified(module, functions) -> None:
    """No function may change its (float64 array) arguments in place."""
    for function in functions:
        args = [np.array(arg, dtype=float) if isinstance(arg, np.ndarray) else arg for arg in _example(function)]
        outcome = module.outcome(function, *args)
        if outcome.modified:
            names = ", ".join(PARAMETERS[function][index] for index in outcome.modified)
            fail(
                f"{describe_call(function, *_example(function))} modified its input {names} in place.\n"
                "Work on a copy (or build a new array, e.g. w - lr * grad instead of w -= lr * grad): "
                "the caller's data must not change."
            )


def loosened(function: str) -> list:
    """The first example call with lists for arrays and NumPy scalars for numbers."""
    loose = []
    for arg in _example(function):
        if isinstance(arg, np.ndarray):
            loose.append(arg.tolist())
        elif isinstance(arg, bool):
            loose.append(arg)  # fit_intercept stays a Python bool: the contract asks no more
        elif isinstance(arg, int):
            loose.append(np.int64(arg))
        elif isinstance(arg, float):
            loose.append(np.float64(arg))
        else:
            loose.append(arg)
    return loose


def is_float(value) -> bool:
    return isinstance(value, (float, np.floating)) and not isinstance(value, bool)


def is_vector(value, shape) -> bool:
    return isinstance(value, np.ndarray) and value.dtype == np.float64 and value.shape == shape


def expect_types(module, function: str, expected: str, shape: tuple[int, ...] = ()) -> None:
    """``expected`` is ``"float"``, ``"array"`` (of ``shape``) or ``"pair"`` (array of ``shape``, float)."""
    args = _example(function)
    got = module.outcome(function, *args).value
    call = describe_call(function, *args)
    kind = f"{type(got).__module__}.{type(got).__qualname__}".removeprefix("builtins.")
    if expected == "float" and not is_float(got):
        fail(f"{call} returned {show(got)} of type {kind}; expected a float (a NumPy float is fine). Convert with float(...).")
    if expected == "array" and not is_vector(got, shape):
        detail = f"dtype {got.dtype}, shape {got.shape}" if isinstance(got, np.ndarray) else f"type {kind}"
        fail(f"{call} returned {show(got)} ({detail}); expected a float64 numpy.ndarray of shape {shape}.")
    if expected == "pair":
        if not (isinstance(got, tuple) and len(got) == 2):
            fail(f"{call} returned {show(got)} of type {kind}; expected a tuple (array of shape {shape}, float).")
        first, second = got
        if not is_vector(first, shape):
            detail = f"dtype {first.dtype}, shape {first.shape}" if isinstance(first, np.ndarray) else f"type {type(first).__name__}"
            fail(f"{call} returned a first item {show(first)} ({detail}); expected a float64 numpy.ndarray of shape {shape}.")
        if not is_float(second):
            fail(f"{call} returned a second item {show(second)} of type {type(second).__name__}; expected a float.")
