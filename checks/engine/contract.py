"""The rules every graded function follows, checked the same way for every pack.

Input validation (``ValueError`` naming the argument), return types, no
modification in place, and acceptance of lists and NumPy scalars. A pack
declares its contract checks in ``pack.toml`` (``[[contract]]``: the check's
name, its rules and, optionally, its functions); ``generated_checks`` turns
each into one named check, run after the check file's own.

Each contract check draws a valid call of every function it covers from the
pack's ``VALID_CALLS`` (under the grading seed; the first of the pack's
``EXAMPLE_CALLS`` is always tried too) and requires the oracle's answer
(``CORRECT``) there before anything else: no check here can be passed by
computing nothing, or by answering only the public example calls. Bad inputs
are derived from that valid call by replacing one argument, chosen by the
*kind* the pack declares for it: a ``nonnegative`` number gets −0.5, NaN and
infinity, a ``count`` gets one less than its minimum, a bool and a float, and
so on. The engine knows no parameter by name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator

import hypothesis
import numpy as np
from hypothesis import strategies as st

from checks.engine import course, diagnosis
from checks.engine.feedback import COEFFICIENT_RTOL, describe_call, fail, show
from checks.engine.sandbox import StudentError

Case = tuple[list, tuple[str, ...], str]  # (arguments, names any of which the message must give, why)

# Generated valid calls per contract check, besides the pack's first example call: one secret call is enough
# to defeat a table of memorised answers, and each costs every bad input again.
CONTRACT_EXAMPLES = 1
# A correct implementation agrees with the oracle to rounding on the valid calls (well-scaled, well-posed):
# allow this much relative to the largest entry of the answer. The loosest tolerance any check of the kit
# measured (the closed form's rtol): no correct answer a check accepts is refused here,
# and nothing computed from no formula comes within it.
ORACLE_RTOL = COEFFICIENT_RTOL


def _pack(module) -> course.ExercisePack:
    """The pack of the submitted module ``module`` (a ``StudentModule``): functions resolve within it."""
    return course.pack(module.name)


def _with(pack: course.ExercisePack, function: str, args: list, name: str, value) -> list:
    changed = list(args)
    changed[[p.name for p in pack.functions[function]].index(name)] = value
    return changed


def same_answer(got, expected, tolerance: float | None = None) -> bool:
    """True when ``got`` equals ``expected`` (a number, an array or a pair) to rounding.

    Each entry may differ by ``tolerance`` or, when it is None, by
    ``ORACLE_RTOL`` times the largest entry of ``expected``.
    """
    a, b = diagnosis.flat_numbers(got), diagnosis.flat_numbers(expected)
    if a is None or b is None or a.shape != b.shape or not np.all(np.isfinite(a)):
        return False
    allowed = ORACLE_RTOL * np.max(np.abs(b), initial=0.0) if tolerance is None else tolerance
    return bool(np.all(np.abs(a - b) <= allowed))


def oracle_answer(pack: course.ExercisePack, function: str, args) -> object:
    """The oracle's answer (``CORRECT``) to ``function(*args)``."""
    return pack.correct(function)(*args)


def _tolerance(pack: course.ExercisePack, function: str, args) -> float | None:
    tolerance = pack.tolerance(function)
    return None if tolerance is None else tolerance(*args)


def is_correct(pack: course.ExercisePack, function: str, args, answer) -> bool:
    """True when ``answer`` is the oracle's answer to ``function(*args)`` (within the pack's ``TOLERANCE``, if any)."""
    return same_answer(answer, oracle_answer(pack, function, args), _tolerance(pack, function, args))


_OUT_OF_RANGE = {
    "nonnegative": ((-0.5, "is negative"), (math.nan, "is NaN"), (math.inf, "is infinite")),
    "positive": ((0.0, "is 0"), (-0.1, "is negative"), (math.nan, "is NaN")),
}


def out_of_range(pack: course.ExercisePack, function: str, args: list, name: str) -> Iterator[Case]:
    """Calls giving the number parameter ``name`` values outside its declared range."""
    for parameter in pack.functions[function]:
        if parameter.name == name:
            if parameter.kind not in _OUT_OF_RANGE:
                raise KeyError(f"{function}: {name} is a {parameter.kind}, not a number with a range")
            for value, why in _OUT_OF_RANGE[parameter.kind]:
                yield _with(pack, function, args, name, value), (name,), f"{name} {why}"


def bad_counts(pack: course.ExercisePack, function: str, args: list, _parameter: str = "") -> Iterator[Case]:
    """Calls with a count that is too small, a bool or a float (also 3.0)."""
    for parameter in pack.functions[function]:
        if parameter.kind != "count":
            continue
        name, smallest = parameter.name, parameter.minimum
        for value, why in (
            (smallest - 1, f"{name} is {smallest - 1}"),
            (True, f"{name} is a bool"),
            (3.0, f"{name} is the float 3.0, not an int"),
            (2.5, f"{name} is 2.5"),
        ):
            yield _with(pack, function, args, name, value), (name,), why


def bad_shapes(pack: course.ExercisePack, function: str, args: list, _parameter: str = "") -> Iterator[Case]:
    """Calls with an array of the wrong dimension, an empty one, or mismatched lengths."""
    parameters = pack.functions[function]
    for index, parameter in enumerate(parameters):
        name = parameter.name
        original = np.asarray(args[index])
        if parameter.kind == "matrix":
            yield _with(pack, function, args, name, np.ravel(original)), (name,), f"{name} is 1-D"
        elif parameter.kind == "vector":
            yield _with(pack, function, args, name, original[:, None]), (name,), f"{name} is 2-D"
            yield _with(pack, function, args, name, np.array([])), (name,), f"{name} is empty"
            if parameter.partner is not None:
                matrix, axis = parameter.partner
                which = "rows" if axis == 0 else "columns"
                yield (
                    _with(pack, function, args, name, np.append(original, 0.5)),
                    (name, matrix),
                    f"{name} has one entry more than {matrix} has {which}",
                )


def empty_matrices(pack: course.ExercisePack, function: str, args: list, _parameter: str = "") -> Iterator[Case]:
    """Calls with a matrix that has no rows or no columns."""
    for index, parameter in enumerate(pack.functions[function]):
        if parameter.kind == "matrix":
            matrix = np.asarray(args[index])
            for empty, what in ((matrix[:0], "no rows"), (matrix[:, :0], "no columns")):
                yield _with(pack, function, args, parameter.name, empty), (parameter.name,), f"{parameter.name} has {what}"


def bad_values(pack: course.ExercisePack, function: str, args: list, _parameter: str = "") -> Iterator[Case]:
    """Calls with NaN or infinity inside an array, or NaN for a real number."""
    for index, parameter in enumerate(pack.functions[function]):
        name = parameter.name
        if parameter.kind in ("matrix", "vector"):
            for value, word in ((math.nan, "NaN"), (math.inf, "infinity")):
                array = np.array(args[index], dtype=float)
                array.flat[array.size // 2] = value
                yield _with(pack, function, args, name, array), (name,), f"{name} contains {word}"
        elif parameter.kind == "real":
            yield _with(pack, function, args, name, math.nan), (name,), f"{name} is NaN"


def finite_leaves(value) -> bool:
    """True when ``value`` (a number, an array or a tuple of them) holds only finite numbers."""
    if isinstance(value, (tuple, list)):
        return len(value) > 0 and all(finite_leaves(item) for item in value)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return array.size > 0 and bool(np.all(np.isfinite(array)))


def _diagnosis(module, function: str) -> str:
    known = diagnosis.diagnose(module, function)
    return f"\nDiagnosis: {known}" if known else ""


def expect_answers(module, function: str, args: list):
    """Call ``function`` on valid input; fail unless it returns the oracle's answer (finite, of the declared type)."""
    pack = _pack(module)
    call = describe_call(function, *args)
    try:
        got = module.outcome(function, *args).value
    except StudentError as error:
        fail(f"{call} raised {error.type_name}: {error.message}\nThis input is valid: it must be accepted.")
    kind = pack.returns[function]
    if not _of_kind(got, kind):
        fail(f"{call} returned {show(got)}; valid input must give {_KIND_TEXT[kind]}.")
    if not finite_leaves(got):
        fail(f"{call} returned {show(got)}; valid input must give a finite answer (no NaN or infinity).")
    if not is_correct(pack, function, args, got):
        expected = oracle_answer(pack, function, args)
        fail(
            f"{call} returned {show(got)}; the correct answer to this valid call is {show(expected)}.\n"
            "This check starts from a valid call and needs its right value first: "
            "the module's value checks show which part of the formula is wrong." + _diagnosis(module, function)
        )
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


def expect_rejected(module, function: str, args: list, cases: Iterable[Case]) -> None:
    """The valid call ``args`` gives the oracle's answer; every call of ``cases`` raises ValueError naming an argument."""
    expect_answers(module, function, args)
    for bad_args, names, why in cases:
        call = describe_call(function, *bad_args)
        try:
            got = module.outcome(function, *bad_args).value
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


def expect_unmodified(module, function: str, args: list) -> None:
    """``function`` may not change its (float64 array) arguments in place, and must still answer correctly.

    The "before" copy is made here, in the grader: the worker only reports
    which arguments it saw change, and a submission that lies about that is
    caught by comparing the arguments it sends back.
    """
    pack = _pack(module)
    args = [np.array(arg, dtype=float) if isinstance(arg, np.ndarray) else arg for arg in args]
    before = [arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args]
    outcome = module.outcome(function, *args, echo_arguments=True)
    changed = [
        index
        for index, (old, new) in enumerate(zip(before, outcome.arguments_after))
        if isinstance(old, np.ndarray)
        and not (isinstance(new, np.ndarray) and new.shape == old.shape and np.array_equal(new, old, equal_nan=True))
    ]
    if changed:
        names = ", ".join(pack.functions[function][index].name for index in changed)
        fail(
            f"{describe_call(function, *before)} modified its input {names} in place.\n"
            "Work on a copy (or build a new array, e.g. x = x - step instead of x -= step): "
            "the caller's data must not change."
        )
    expect_answers(module, function, before)


def loosened(args: list) -> list:
    """The call ``args`` with lists for arrays and NumPy scalars for numbers."""
    loose = []
    for arg in args:
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


def expect_loose_inputs_accepted(module, function: str, args: list) -> None:
    """The valid call gives the oracle's answer, and the same call with lists and NumPy scalars gives the same answer."""
    with_arrays = expect_answers(module, function, args)
    loose = loosened(args)
    call = describe_call(function, *loose)
    try:
        got = module.outcome(function, *loose).value
    except StudentError as error:
        fail(
            f"{call} raised {error.type_name}: {error.message}\nWith NumPy arrays and Python numbers the same call returned "
            f"{show(with_arrays)}. Accept lists and NumPy scalars too: convert with numpy.asarray(..., dtype=float)."
        )
    if not same_answer(got, with_arrays, _tolerance(_pack(module), function, args)):
        fail(
            f"{call} returned {show(got)}, but the same call with NumPy arrays and Python numbers returned "
            f"{show(with_arrays)}.\nLists and NumPy scalars must give the same answer: convert with numpy.asarray(..., dtype=float)."
        )


def is_float(value) -> bool:
    return isinstance(value, (float, np.floating)) and not isinstance(value, bool)


def is_vector(value, shape) -> bool:
    return isinstance(value, np.ndarray) and value.dtype == np.float64 and value.shape == shape


def expect_types(module, function: str, args: list) -> None:
    """The answer is of the declared return kind (a float, an array or a pair) and of the oracle's shape, and finite.

    NaN of the right type is not a float answer; the value itself is then
    held to the oracle's.
    """
    pack = _pack(module)
    expected, kind = oracle_answer(pack, function, args), pack.returns[function]
    shape = np.shape(expected[0] if kind == "pair" else expected)
    got = module.outcome(function, *args).value
    call = describe_call(function, *args)
    type_name = f"{type(got).__module__}.{type(got).__qualname__}".removeprefix("builtins.")
    if kind == "float" and not is_float(got):
        fail(
            f"{call} returned {show(got)} of type {type_name}; expected a float (a NumPy float is fine). Convert with float(...)."
        )
    if kind == "array" and not is_vector(got, shape):
        detail = f"dtype {got.dtype}, shape {got.shape}" if isinstance(got, np.ndarray) else f"type {type_name}"
        fail(f"{call} returned {show(got)} ({detail}); expected a float64 numpy.ndarray of shape {shape}.")
    if kind == "pair":
        if not (isinstance(got, tuple) and len(got) == 2):
            fail(f"{call} returned {show(got)} of type {type_name}; expected a tuple (array of shape {shape}, float).")
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
    expect_answers(module, function, args)


_CASES = {
    "out_of_range": out_of_range,
    "bad_counts": bad_counts,
    "bad_shapes": bad_shapes,
    "empty_matrices": empty_matrices,
    "bad_values": bad_values,
}


def apply_rule(rule: str, module, function: str, args: list, parameter: str = "") -> None:
    """Hold ``function`` to one contract rule (``course.CONTRACT_RULES``), starting from the valid call ``args``."""
    if rule == "accepts_loose_inputs":
        expect_loose_inputs_accepted(module, function, args)
    elif rule == "return_types":
        expect_types(module, function, args)
    elif rule == "unmodified":
        expect_unmodified(module, function, args)
    else:
        expect_rejected(module, function, args, _CASES[rule](_pack(module), function, args, parameter))


def generated_checks(pack: course.ExercisePack) -> dict[str, Callable]:
    """``{"test_<check>": check}`` for every ``[[contract]]`` entry of ``pack``, in the declared order.

    Each check takes the fixture ``graded_module`` (the submitted module) and
    a tuple of valid calls, one per function it covers, drawn from the pack's
    ``VALID_CALLS``; the first example calls are its explicit example.
    """
    return {f"test_{entry.check}": _generated_check(pack, entry) for entry in pack.contract}


def _generated_check(pack: course.ExercisePack, entry: course.ContractCheck) -> Callable:
    def check(graded_module, calls):
        for function, args in zip(entry.functions, calls):
            for rule in entry.rules:
                apply_rule(rule, graded_module, function, list(args), entry.parameter)

    check.__name__ = check.__qualname__ = f"test_{entry.check}"
    check.__doc__ = f"Contract check of {', '.join(entry.functions)}: {', '.join(entry.rules)} (declared in pack.toml)."
    explicit = tuple(tuple(pack.example_calls(function)[0]) for function in entry.functions)
    strategy = st.tuples(*(pack.valid_calls(function) for function in entry.functions))
    with_example = hypothesis.example(calls=explicit)(check)
    return hypothesis.settings(max_examples=CONTRACT_EXAMPLES)(hypothesis.given(calls=strategy)(with_example))
