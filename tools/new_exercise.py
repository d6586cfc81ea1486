"""Write the skeleton of a new exercise: ``nox -s new-exercise -- NAME``.

Creates, and never overwrites, every file an exercise needs (see
CONTRIBUTING.md, "Adding an exercise"): the stub, the reference, the pack
(``pack.toml``, ``pack.py``, ``__init__.py``, ``test_NAME.py``), a lesson page
with a quiz stub, and the mistake-bank and alternatives files. Then prints
what is left to fill in. ``nox -s verify`` names every missing piece.
"""

from __future__ import annotations

import argparse
import re
import sys

from checks.engine import course
from checks.engine.files import UsageError

ROOT = course.KIT_ROOT


def skeleton(name: str) -> dict[str, str]:
    """The new files, by path relative to the kit root."""
    order = max((pack.order for pack in course.packs()), default=0) + 1
    function = f"{name}_value"
    stub_doc = f'''    """TODO: one line saying what {function} computes.

    Parameters
    ----------
    X : array_like, shape (N, d)
        TODO.

    Returns
    -------
    float
        TODO: the formula.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array; the message names ``X``.
    """'''
    return {
        f"exercises/{name}.py": f'"""Exercise: {name} (see docs/lessons/{name}.md)."""\n\n\ndef {function}(X):\n{stub_doc}\n    raise NotImplementedError("{function}")\n',
        f"solutions/{name}.py": f'"""Reference for {name}."""\n\nimport numpy as np\n\n\ndef {function}(X):\n{stub_doc}\n    X = np.asarray(X, dtype=float)\n    if X.ndim != 2 or X.size == 0 or not np.isfinite(X).all():\n        raise ValueError("X must be a finite, non-empty 2-D array")\n    raise NotImplementedError("TODO: the reference formula")\n',
        f"checks/packs/{name}/__init__.py": "",
        f"checks/packs/{name}/pack.toml": (
            f'order = {order}\ntitle = "TODO: {name}"\nlesson = "lessons/{name}.md"\nsummary = "TODO: one sentence."\n'
            f'points_per_check = 1\nhints = ["TODO: a nudge.", "TODO: nearly the answer."]\n\n'
            f'[functions.{function}]\nreturns = "float"\nparameters = [{{ name = "X", kind = "matrix" }}]\n'
        ),
        f"checks/packs/{name}/pack.py": (
            f'"""The {name} pack: example calls, the oracle\'s answers and the known mistakes."""\n\n'
            "import numpy as np\n\nfrom checks.engine.diagnosis import Misconception  # noqa: F401 - for MISCONCEPTIONS\n\n"
            f'EXAMPLE_CALLS = {{"{function}": [(np.array([[1.3, -0.7], [2.1, 0.4], [-1.9, 0.8]]),)]}}\n\n\n'
            f'def oracle(X):\n    raise NotImplementedError("TODO: a derivation different from solutions/{name}.py")\n\n\n'
            f'CORRECT = {{"{function}": oracle}}\n\nMISCONCEPTIONS: list = []  # Misconception("{function}.<mistake>", diagnosis, wrong)\n'
        ),
        f"checks/packs/{name}/test_{name}.py": (
            f'"""Checks for exercises/{name}.py."""\n\nfrom checks.engine import contract\n\n'
            f'FUNCTIONS = ("{function}",)\n\n\n'
            f'def test_returns_floats({name}):\n    contract.expect_types({name}, "{function}", "float")\n\n\n'
            f"def test_rejects_bad_shapes({name}):\n    contract.expect_rejected({name}, FUNCTIONS, contract.bad_shapes)\n"
        ),
        f"docs/lessons/{name}.md": f"# TODO: {name}\n\nTODO: the lesson.\n\n## Quiz\n\nTODO: at least four questions in the quiz markup of the other lessons.\n",
        f"tests/mistakes/{name}.py": f'"""Mistake bank for {name}.py (read as text by tests/bank.py; never imported)."""\n\nfrom tests.bank import mistake  # noqa: F401\n',
        f"tests/alternatives/{name}.py": f'"""Correct alternatives for {name}.py (read as text by tests/bank.py)."""\n\nfrom tests.bank import alternative  # noqa: F401\n',
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s new-exercise --", description="Write the skeleton of a new exercise.")
    parser.add_argument("name", help="module name: lower case letters, digits and _")
    arguments = parser.parse_args(argv)
    try:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", arguments.name):
            raise UsageError(f"{arguments.name!r} is not a module name (lower case letters, digits and _)")
        if arguments.name in course.modules():
            raise UsageError(f"{arguments.name} exists already")
        files = skeleton(arguments.name)
        clashes = [path for path in files if (ROOT / path).exists()]
        if clashes:
            raise UsageError(f"would overwrite {', '.join(clashes)}")
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path, text in files.items():
        target = ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"  wrote {path}")
    print(
        "\nLeft to fill in (CONTRIBUTING.md, 'Adding an exercise'):\n"
        "  1. the functions and docstrings in exercises/ and solutions/;\n"
        "  2. pack.toml: title, summary, hints, every function's parameters and returns;\n"
        "  3. pack.py: EXAMPLE_CALLS, an oracle derived differently, MISCONCEPTIONS;\n"
        "  4. test_<name>.py: one check per property;\n"
        "  5. the lesson and its quiz; the mistake bank and the alternatives.\n"
        "Then run nox -s verify: it names every missing or inconsistent piece."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
