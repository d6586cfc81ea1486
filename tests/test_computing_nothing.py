"""No check can be passed by computing nothing: such a submission scores 0 on every module.

Each case rewrites every graded function of every pack the same way, from the
pack's declared parameters and return kind, so a new exercise is covered
without an edit here.
"""

from __future__ import annotations

import textwrap

import pytest

from checks.engine import course
from tests.bank import build_submission
from tests.conftest import grade_all

NANIFY = """
def _nanify(value):
    import numpy as _np
    if isinstance(value, tuple):
        return tuple(_nanify(item) for item in value)
    if isinstance(value, _np.ndarray):
        return _np.full(value.shape, _np.nan)
    return float("nan")


def _constant(value):
    import numpy as _np
    if isinstance(value, tuple):
        return tuple(_constant(item) for item in value)
    if isinstance(value, _np.ndarray):
        return _np.full(value.shape, 0.5)
    return 0.5
"""

BODIES = {
    # Validation that rejects everything: every message names every argument.
    "raises ValueError on everything": "raise ValueError('bad {names}')",
    # The reference's validation, then NaN of the right type and shape.
    "validates, then returns NaN": "return _nanify(_original(*args, **kwargs))",
    # NaN for everything, valid or not.
    "returns NaN for everything": (
        "try:\n        result = _original(*args, **kwargs)\n    except Exception:\n        return float('nan')\n"
        "    return _nanify(result)"
    ),
    # Constants of the right type and shape, no validation.
    "returns constants, no validation": (
        "try:\n        result = _original(*args, **kwargs)\n    except Exception:\n        return 0.5\n"
        "    return _constant(result)"
    ),
}


def _replacement(function: str, parameters, body: str) -> str:
    names = " ".join(parameter.name for parameter in parameters)
    return textwrap.dedent(
        f"""
        _original_{function} = {function}


        def {function}(*args, **kwargs):
            _original = _original_{function}
            {body.format(names=names).replace(chr(10), chr(10) + "    ")}
        """
    )


@pytest.fixture(scope="module")
def idle_grades(tmp_path_factory):
    base = tmp_path_factory.mktemp("idle")
    folders = {}
    for case, body in BODIES.items():
        folder = build_submission(None, base / case.replace(" ", "_").replace(",", ""))
        for pack in course.packs():
            path = folder / f"{pack.module}.py"
            code = [path.read_text(), NANIFY]
            code += [_replacement(function, parameters, body) for function, parameters in pack.functions.items()]
            path.write_text("\n".join(code))
        folders[case] = folder
    return grade_all(folders)


@pytest.mark.parametrize("case", BODIES)
def test_submission_that_computes_nothing_scores_zero(idle_grades, case):
    graded = idle_grades[case]
    assert graded.report is not None, graded.stderr
    passed = [test["name"] for test in graded.report["tests"] if test["status"] == "passed"]
    assert passed == [], f"{case} passed {passed}"
