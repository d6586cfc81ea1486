"""The rules every graded function follows, checked the same way for every pack.

Input validation (``ValueError`` naming the argument), return types, no
modification in place, and acceptance of lists and NumPy scalars. Bad inputs
are derived from a pack's first example call by replacing one argument, chosen
by the *kind* the pack declares for it (``pack.toml``): a ``nonnegative``
number gets −0.5, NaN and infinity, a ``count`` gets one less than its minimum,
a bool and a float, and so on. The engine knows no parameter by name.

No check here can be passed by computing nothing: a rejection check first
requires that the valid example call is accepted and returns a finite answer
of the declared type, and the in-place check requires a finite answer too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

import numpy as np

from checks.engine import course
from checks.engine.feedback import describe_call, fail, show
from checks.engine.sandbox import StudentError

Case = tuple[list, tuple[str, ...], str]  # (arguments, names any of which the message must give, why)


def _example(function: str) -> list:
    return list(_pack_of(function).example_calls(function)[0])


def _pack_of(function: str) -> course.ExercisePack:
    for pack in course.packs():
        if function in pack.functions:
            return pack
    raise KeyError(f"no pack declares the function {function!r}")


def _parameters(function: str) -> tuple[course.Parameter, ...]:
    return _pack_of(function).functions[function]


def _with(function: str, name: str, value) -> list:
    args = _example(function)
    args[[p.name for p in _parameters(function)].index(name)] = value
    return args


_OUT_OF_RANGE = {
    "nonnegative": ((-0.5, "is negative"), (math.nan, "is NaN"), (math.inf, "is infinite")),
    "positive": ((0.0, "is 0"), (-0.1, "is negative"), (math.nan, "is NaN")),
}


def out_of_range(name: str) -> Callable[[str], Iterator[Case]]:
    """Cases giving the number parameter ``name`` values outside its declared range."""

    def cases(function: str) -> Iterator[Case]:
        for parameter in _parameters(function):
            if parameter.name == name:
                if parameter.kind not in _OUT_OF_RANGE:
                    raise KeyError(f"{function}: {name} is a {parameter.kind}, not a number with a range")
                for value, why in _OUT_OF_RANGE[parameter.kind]:
                    yield _with(function, name, value), (name,), f"{name} {why}"

    return cases


def bad_counts(function: str) -> Iterator[Case]:
    """Calls with a count that is too small, a bool or a float (also 3.0)."""
    for parameter in _parameters(function):
        if parameter.kind != "count":
            continue
        name, smallest = parameter.name, parameter.minimum
        for value, why in (
            (smallest - 1, f"{name} is {smallest - 1}"),
            (True, f"{name} is a bool"),
            (3.0, f"{name} is the float 3.0, not an int"),
            (2.5, f"{name} is 2.5"),
        ):
            yield _with(function, name, value), (name,), why


def bad_shapes(function: str) -> Iterator[Case]:
    """Calls with an array of the wrong dimension, an empty one, or mismatched lengths."""
    parameters = _parameters(function)
    names = [p.name for p in parameters]
    for parameter in parameters:
        name = parameter.name
        original = np.asarray(_example(function)[names.index(name)])
        if parameter.kind == "matrix":
            yield _with(function, name, np.ravel(original)), (name,), f"{name} is 1-D"
        elif parameter.kind == "vector":
            yield _with(function, name, original[:, None]), (name,), f"{name} is 2-D"
            yield _with(function, name, np.array([])), (name,), f"{name} is empty"
            if parameter.partner is not None:
                matrix, axis = parameter.partner
                which = "rows" if axis == 0 else "columns"
                yield (
                    _with(function, name, np.append(original, 0.5)),
                    (name, matrix),
                    f"{name} has one entry more than {matrix} has {which}",
                )


def bad_values(function: str) -> Iterator[Case]:
    """Calls with NaN or infinity inside an array, or NaN for a real number."""
    parameters = _parameters(function)
    names = [p.name for p in parameters]
    for parameter in parameters:
        name = parameter.name
        if parameter.kind in ("matrix", "vector"):
            for value, word in ((math.nan, "NaN"), (math.inf, "infinity")):
                array = np.array(_example(function)[names.index(name)], dtype=float)
                array.flat[array.size // 2] = value
                yield _with(function, name, array), (name,), f"{name} contains {word}"
        elif parameter.kind == "real":
            yield _with(function, name, math.nan), (name,), f"{name} is NaN"


def finite_leaves(value) -> bool:
    """True when ``value`` (a number, an array or a tuple of them) holds only finite numbers."""
    if isinstance(value, (tuple, list)):
        return len(value) > 0 and all(finite_leaves(item) for item in value)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return array.size > 0 and bool(np.all(np.isfinite(array)))


def expect_answers(module, function: str, args: list | None = None):
    """Call ``function`` on valid input; fail unless it returns a finite answer of the declared type."""
    args = _example(function) if args is None else args
    call = describe_call(function, *args)
    try:
        got = module.outcome(function, *args).value
    except StudentError as error:
        fail(f"{call} raised {error.type_name}: {error.message}\nThis input is valid: it must be accepted.")
    kind = course.returns(function)
    if not _of_kind(got, kind):
        fail(f"{call} returned {show(got)}; valid input must give {_KIND_TEXT[kind]}.")
    if not finite_leaves(got):
        fail(f"{call} returned {show(got)}; valid input must give a finite answer (no NaN or infinity).")
    return got


_KIND_TEXT = {"float": "a float", "array": "a float64 numpy.ndarray", "pair": "a tuple (array, float)"}


def _of_kind(value, kind: str) -> bool:
    if kind == "float":
        return is_float(value)
    if kind == "array":
        return isinstance(value, np.ndarray) and value.dtype == np.float64
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], np.ndarray)
        and value[0].dtype == np.float64
        and is_float(value[1])
    )


def expect_rejected(module, functions, cases: Callable[[str], Iterator[Case]]) -> None:
    """Valid input gives a finite answer; every call from ``cases(function)`` raises ValueError naming an argument."""
    for function in functions:
        expect_answers(module, function)
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
    """No function may change its (float64 array) arguments in place, and each must still answer.

    The "before" copy is made here, in the grader: the worker only reports
    which arguments it saw change, and a submission that lies about that is
    caught by comparing the arguments it sends back.
    """
    for function in functions:
        args = [np.array(arg, dtype=float) if isinstance(arg, np.ndarray) else arg for arg in _example(function)]
        before = [arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args]
        outcome = module.outcome(function, *args, echo_arguments=True)
        changed = [
            index
            for index, (old, new) in enumerate(zip(before, outcome.arguments_after))
            if isinstance(old, np.ndarray)
            and not (isinstance(new, np.ndarray) and new.shape == old.shape and np.array_equal(new, old, equal_nan=True))
        ]
        if changed:
            names = ", ".join(_parameters(function)[index].name for index in changed)
            fail(
                f"{describe_call(function, *before)} modified its input {names} in place.\n"
                "Work on a copy (or build a new array, e.g. x = x - step instead of x -= step): "
                "the caller's data must not change."
            )
        kind = course.returns(function)
        if not (_of_kind(outcome.value, kind) and finite_leaves(outcome.value)):
            fail(
                f"{describe_call(function, *before)} returned {show(outcome.value)}; "
                f"valid input must give a finite answer ({_KIND_TEXT[kind]})."
            )


def loosened(function: str) -> list:
    """The first example call with lists for arrays and NumPy scalars for numbers."""
    loose = []
    for arg in _example(function):
        if isinstance(arg, np.ndarray):
            loose.append(arg.tolist())
        elif isinstance(arg, bool):
            loose.append(arg)  # a flag stays a Python bool: the contract asks no more
        elif isinstance(arg, int):
            loose.append(np.int64(arg))
        elif isinstance(arg, float):
            loose.append(np.float64(arg))
        else:
            loose.append(arg)
    return loose


def example(function: str) -> list:
    """The first example call of ``function`` (a fresh list: callers may change it)."""
    return _example(function)


def is_float(value) -> bool:
    return isinstance(value, (float, np.floating)) and not isinstance(value, bool)


def is_vector(value, shape) -> bool:
    return isinstance(value, np.ndarray) and value.dtype == np.float64 and value.shape == shape


def expect_types(module, function: str, expected: str, shape: tuple[int, ...] = ()) -> None:
    """``expected`` is ``"float"``, ``"array"`` (of ``shape``) or ``"pair"`` (array of ``shape``, float).

    The answer must also be finite: NaN of the right type is not a float answer.
    """
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
            detail = (
                f"dtype {first.dtype}, shape {first.shape}" if isinstance(first, np.ndarray) else f"type {type(first).__name__}"
            )
            fail(f"{call} returned a first item {show(first)} ({detail}); expected a float64 numpy.ndarray of shape {shape}.")
        if not is_float(second):
            fail(f"{call} returned a second item {show(second)} of type {type(second).__name__}; expected a float.")
    if not finite_leaves(got):
        fail(f"{call} returned {show(got)}: the type is right, but valid input must give finite numbers (no NaN or infinity).")
