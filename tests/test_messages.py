"""Messages point at the real mistake, show an input that can be rebuilt, and name commands that work."""

from __future__ import annotations

import numpy as np
import pytest

from checks.engine import course, hint, report
from checks.engine.feedback import describe_call, exact, loose_argument_note
from checks.engine.runner import _feedback
from checks.engine.sandbox import StudentError


def _function_with(kind: str) -> tuple[str, str]:
    """A graded function and the name of its first parameter of ``kind``."""
    for pack in course.packs():
        for function, parameters in pack.functions.items():
            for parameter in parameters:
                if parameter.kind == kind:
                    return function, parameter.name
    pytest.skip(f"no pack declares a parameter of kind {kind}")


@pytest.mark.parametrize(
    "value",
    [
        np.array([[0.1, -1 / 3], [2.5e-300, 7.0]]),
        np.array([1.0, np.nan, np.inf, -np.inf]),
        np.array([3, 4]),
        np.empty((0, 2)),
        np.int64(3),
        np.float64(0.1 + 0.2),
        [0.1, 0.2],
        (1.5, True),
    ],
)
def test_a_call_shows_every_input_exactly(value):
    rebuilt = eval(exact(value), {"np": np})  # noqa: S307 - the text is the kit's own
    assert type(rebuilt) is type(value)
    if isinstance(value, np.ndarray):
        assert rebuilt.dtype == value.dtype and rebuilt.shape == value.shape
        assert np.array_equal(rebuilt, value, equal_nan=True)
    else:
        assert rebuilt == value


def test_a_call_text_is_python_that_repeats_the_call():
    function, _ = _function_with("matrix")
    args = course.pack(next(p.module for p in course.packs() if function in p.functions)).example_calls(function)[0]
    text = str(describe_call(function, *args))
    captured = {}
    eval(text, {"np": np, function: lambda *a, **k: captured.update(k)})  # noqa: S307
    names = course.parameter_names(function)
    assert list(captured) == list(names)
    for name, arg in zip(names, args):
        assert np.array_equal(np.asarray(captured[name]), np.asarray(arg)), name


def test_rejecting_a_numpy_integer_count_is_named_as_that():
    function, count = _function_with("count")
    names = course.parameter_names(function)
    args = tuple(np.int64(3) if name == count else 1.0 for name in names)
    error = StudentError(function, ["builtins.ValueError"], f"{count} must be an int", args, "stub.py line 3")
    text = _feedback(error)
    assert "NumPy integer" in text and "must be accepted" in text and "check the shapes" not in text
    plain = StudentError(function, ["builtins.ValueError"], f"{count} must be an int", tuple(3 for _ in names))
    assert "check the shapes" in _feedback(plain), "a plain int is not a loose type: the generic text stays"


def test_a_list_refused_by_its_type_is_named_as_that():
    function, matrix = _function_with("matrix")
    args = tuple([[1.0, 2.0]] if name == matrix else 1.0 for name in course.parameter_names(function))
    note = loose_argument_note(function, args, "'list' object has no attribute 'shape'")
    assert f"{matrix} is a list" in note and "numpy.asarray" in note
    assert loose_argument_note(function, args, "division by zero") == ""


def test_a_misspelt_module_gets_the_closest_name(tmp_path, capsys):
    module = next((m for m in course.modules() if "_" in m), course.modules()[0])
    typed = module.replace("_", "-") if "_" in module else module[:-1]
    assert hint.main([typed], state_file=tmp_path / "hints.json") == 2
    assert f"did you mean {module}?" in capsys.readouterr().err
    assert "did you mean" not in hint.unknown_module("zzzzzz")


def test_printed_commands_are_the_ones_that_work(monkeypatch, tmp_path):
    monkeypatch.setenv(report.NOX_COMMAND_VARIABLE, "python3 noxw.py")
    assert report.command("grade", "--only", "x") == "python3 noxw.py -s grade -- --only x"
    monkeypatch.delenv(report.NOX_COMMAND_VARIABLE)
    monkeypatch.setenv("PATH", str(tmp_path))  # no nox anywhere
    assert report.command("hint") == f"{report.BOOTSTRAP_COMMAND} -s hint"
    (tmp_path / "nox").write_text("#!/bin/sh\n")
    (tmp_path / "nox").chmod(0o755)
    assert report.command("hint", "m") == "nox -s hint -- m"
