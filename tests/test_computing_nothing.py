"""No check can be passed by computing nothing: such a submission scores 0 on every module.

Each case rewrites every graded function of every pack the same way, from the
pack's declared parameters and return kind, so a new exercise is covered
without an edit here. Every rewritten module must import and keep the
rewritten functions (proved below), or a case would score 0 for the wrong
reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from checks.engine import course
from tests.bank import build_submission
from tests.conftest import grade_all

# Helpers appended to every rewritten module. ``_key`` must give the same key
# for a call made with lists and NumPy scalars as for the same call with arrays.
PRELUDE = """
import numpy as _np


def _nanify(value):
    if isinstance(value, tuple):
        return tuple(_nanify(item) for item in value)
    if isinstance(value, _np.ndarray):
        return _np.full(value.shape, _np.nan)
    return float("nan")


def _constant(value):
    if isinstance(value, tuple):
        return tuple(_constant(item) for item in value)
    if isinstance(value, _np.ndarray):
        return _np.full(value.shape, 0.5)
    return 0.5


def _key(args):
    parts = []
    for arg in args:
        if isinstance(arg, (bool, _np.bool_)):
            parts.append(("bool", bool(arg)))
        elif isinstance(arg, (int, _np.integer)):
            parts.append(("int", int(arg)))
        elif isinstance(arg, (float, _np.floating)):
            parts.append(("float", round(float(arg), 9)))
        else:
            parts.append(("array", _np.round(_np.asarray(arg, dtype=float), 9).tolist()))
    return repr(parts)


def _rebuild(stored):
    kind, data = stored
    if kind == "array":
        return _np.array(data, dtype=float)
    if kind == "pair":
        return _np.array(data[0], dtype=float), float(data[1])
    return float(data)
"""


def call_key(args) -> str:
    """The key ``_key`` (in ``PRELUDE``) gives the call ``args``."""
    namespace: dict = {}
    exec(PRELUDE, namespace)  # noqa: S102 - the kit's own helper text, run once more here to share one definition
    return namespace["_key"](args)


def stored_answer(value) -> tuple:
    """An answer (float, array or pair) as the literal that ``_rebuild`` turns back into it."""
    if isinstance(value, tuple):
        return ("pair", (value[0].tolist(), float(value[1])))
    if hasattr(value, "shape") and value.shape != ():
        return ("array", value.tolist())
    return ("float", float(value))


def table_function(function: str, parameters, table: dict[str, tuple]) -> str:
    """Source of ``function`` answering from ``table`` (call key → stored answer), ValueError for anything else."""
    names = " ".join(parameter.name for parameter in parameters)
    return (
        f"\n_TABLE_{function} = {table!r}\n\n\n"
        f"def {function}(*args, **kwargs):\n"
        f"    stored = _TABLE_{function}.get(_key(args))\n"
        f"    if stored is None:\n"
        f"        raise ValueError('bad {names}')\n"
        f"    return _rebuild(stored)\n"
    )


BODIES = {
    # Validation that rejects everything: every message names every argument.
    "raises ValueError on everything": "raise ValueError('bad {names}')",
    # The reference's validation, then NaN of the right type and shape.
    "validates, then returns NaN": "return _nanify(_original(*args, **kwargs))",
    # NaN for everything, valid or not.
    "returns NaN for everything": """
        try:
            result = _original(*args, **kwargs)
        except Exception:
            return float('nan')
        return _nanify(result)
    """,
    # Constants of the right type and shape, no validation.
    "returns constants, no validation": """
        try:
            result = _original(*args, **kwargs)
        except Exception:
            return 0.5
        return _constant(result)
    """,
    # Constants of the right type and shape, and the reference's validation.
    "constants of the right shape": "return _constant(_original(*args, **kwargs))",
}
LOOKUP_TABLE = "answers only the public example calls (a lookup table), raises ValueError otherwise"
CASES = [*BODIES, LOOKUP_TABLE]


def _replacement(function: str, parameters, body: str) -> str:
    names = " ".join(parameter.name for parameter in parameters)
    indented = textwrap.indent(textwrap.dedent(body).strip().format(names=names), "    ")
    return (
        f"\n_original_{function} = {function}\n\n\n"
        f"def {function}(*args, **kwargs):\n"
        f"    _original = _original_{function}\n"
        f"{indented}\n"
    )


def _public_example_table(pack: course.ExercisePack, function: str) -> dict[str, tuple]:
    return {call_key(call): stored_answer(pack.correct(function)(*call)) for call in pack.example_calls(function)}


def rewrite(folder, functions_source) -> None:
    """Append ``PRELUDE`` and ``functions_source(pack, function, parameters)`` for every function to each module."""
    for pack in course.packs():
        path = folder / f"{pack.module}.py"
        code = [path.read_text(), PRELUDE]
        code += [functions_source(pack, function, parameters) for function, parameters in pack.functions.items()]
        path.write_text("\n".join(code))


def _source_for(case: str):
    if case == LOOKUP_TABLE:
        return lambda pack, function, parameters: table_function(function, parameters, _public_example_table(pack, function))
    return lambda pack, function, parameters: _replacement(function, parameters, BODIES[case])


def assert_rewritten(folder, marker: str) -> None:
    """Every module of ``folder`` imports (in a fresh interpreter) and holds ``marker`` for every function."""
    expected = {pack.module: [marker.format(function=function) for function in pack.functions] for pack in course.packs()}
    probe = (
        "import importlib, json, sys\n"
        "expected = json.loads(sys.argv[1])\n"
        "print(json.dumps({m: [n for n in names if not hasattr(importlib.import_module(m), n)] for m, names in expected.items()}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(expected)], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {module: [] for module in expected}


@pytest.fixture(scope="module")
def idle_folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("idle")
    folders = {}
    for case in CASES:
        folder = build_submission(None, base / "".join(c if c.isalnum() else "_" for c in case)[:60])
        rewrite(folder, _source_for(case))
        folders[case] = folder
    return folders


@pytest.fixture(scope="module")
def idle_grades(idle_folders):
    return grade_all(idle_folders)


@pytest.mark.parametrize("case", CASES)
def test_every_rewritten_module_imports(idle_folders, case):
    assert_rewritten(idle_folders[case], "_TABLE_{function}" if case == LOOKUP_TABLE else "_original_{function}")


@pytest.mark.parametrize("case", CASES)
def test_submission_that_computes_nothing_scores_zero(idle_grades, case):
    graded = idle_grades[case]
    assert graded.report is not None, graded.stderr
    assert len(graded.report["tests"]) == sum(pack.max_score // pack.points_per_check for pack in course.packs())
    passed = [test["name"] for test in graded.report["tests"] if test["status"] == "passed"]
    assert passed == [], f"{case} passed {passed}"
