"""Every graded function's docstring promises exactly what its contract checks enforce.

The rules are read through ``checks.engine.course``, so that this holds for
any pack: where a pack declares its contract checks (``[[contract]]`` entries
of ``pack.toml``, each naming rules of ``checks/engine/contract.py``), from
those; otherwise from the kinds of its parameters, which the contract checks
turn into bad inputs (``KIND_RULES``). The Raises section of each function,
in ``exercises/`` and in ``solutions/``, must list one bullet per parameter
that has rules, worded as ``raises_bullets`` words them, and nothing else,
except a rule of one function that a named check of its own pack enforces
(``FUNCTION_RULES``). A count must also say, in its Parameters entry, that a
NumPy integer is fine: the checks call the functions with ``numpy.int64``
counts.
"""

from __future__ import annotations

import ast
import inspect
import re

import pytest

from checks.engine import course
from tests.conftest import ROOT

FOLDERS = ("exercises", "solutions")

# A rule one function has beyond its parameters' kinds: (the check in its pack that enforces it, the bullet).
FUNCTION_RULES = {
    "decay_trajectory": (
        "trajectory_rejects_nonpositive_factor",
        "the decay factor ``1 − 2·lr·λ/N`` is ≤ 0: the learning rate is too large for this λ, and the message names ``lr``.",
    ),
}

# The contract rules a parameter of each kind is held to (names of checks/engine/contract.py), where a pack
# declares no contract checks of its own. A flag has none.
KIND_RULES = {
    "matrix": ("bad_shapes", "empty_matrices", "bad_values"),
    "vector": ("bad_shapes", "bad_values"),
    "nonnegative": ("out_of_range",),
    "positive": ("out_of_range",),
    "count": ("bad_counts",),
    "real": ("bad_values",),
    "flag": (),
}
LOOSE_INPUTS = "accepts_loose_inputs"  # the rule that calls with lists and NumPy scalars (numpy.int64 counts)


def enforced_rules(pack: course.ExercisePack, function: str) -> set[tuple[str, str]]:
    """``(rule, parameter)`` pairs the checks apply to ``function``; ``parameter`` is empty for rules over all of them."""
    declared = getattr(pack, "contract", None)
    if declared is None:
        rules = {(LOOSE_INPUTS, "")}
        for parameter in pack.functions[function]:
            for rule in KIND_RULES[parameter.kind]:
                rules.add((rule, parameter.name if rule == "out_of_range" else ""))
        return rules
    return {
        (rule, entry.parameter if rule == "out_of_range" else "")
        for entry in declared
        if not entry.functions or function in entry.functions
        for rule in entry.rules
    }


def raises_lead(parameters: tuple[course.Parameter, ...]) -> str:
    """The sentence before the bullets; it says which argument a length mismatch must name where one can occur."""
    if any(parameter.partner is not None for parameter in parameters):
        return "With a message that names the argument (for lengths that disagree, either of the two), if"
    return "With a message that names the argument, if"


def _listed(fragments: list[str]) -> str:
    if len(fragments) <= 2:
        return " or ".join(fragments)
    return ", ".join(fragments[:-1]) + ", or " + fragments[-1]


def parameter_bullet(parameter: course.Parameter, rules: set[tuple[str, str]]) -> str | None:
    """The Raises bullet for one parameter under ``rules`` (None when no rule concerns it)."""
    name = f"``{parameter.name}``"
    applies = {rule for rule, target in rules if target in ("", parameter.name)}
    if parameter.kind in ("matrix", "vector"):
        fragments = []
        if "bad_shapes" in applies:
            fragments.append(f"is not {'2-D' if parameter.kind == 'matrix' else '1-D'}")
        if ("empty_matrices" if parameter.kind == "matrix" else "bad_shapes") in applies:
            fragments.append("is empty")
        if "bad_values" in applies:
            fragments.append("holds NaN or infinity")
        if "bad_shapes" in applies and parameter.partner is not None:
            matrix, axis = parameter.partner
            fragments.append(f"its length is not the number of {'rows' if axis == 0 else 'columns'} of ``{matrix}``")
        return f"{name} {_listed(fragments)};" if fragments else None
    if parameter.kind == "nonnegative" and ("out_of_range", parameter.name) in rules:
        return f"{name} is negative, NaN or infinite;"
    if parameter.kind == "positive" and ("out_of_range", parameter.name) in rules:
        return f"{name} is 0, negative or NaN;"
    if parameter.kind == "count" and "bad_counts" in applies:
        too_small = "negative" if parameter.minimum == 0 else f"less than {parameter.minimum}"
        return f"{name} is {too_small}, a ``bool`` or a float (also a whole one such as ``3.0``);"
    if parameter.kind == "real" and "bad_values" in applies:
        return f"{name} is NaN;"
    return None


def raises_bullets(function: str, parameters: tuple[course.Parameter, ...], rules: set[tuple[str, str]]) -> list[str]:
    """Every rule the checks hold ``function`` to, one bullet per parameter, as its docstring must list them."""
    bullets = [bullet for bullet in (parameter_bullet(parameter, rules) for parameter in parameters) if bullet is not None]
    if function in FUNCTION_RULES:
        bullets.append(FUNCTION_RULES[function][1])
    if bullets:
        bullets[-1] = bullets[-1].rstrip(";.") + "."
    return bullets


def _docstrings(folder: str, module: str) -> dict[str, str]:
    tree = ast.parse((ROOT / folder / f"{module}.py").read_text(encoding="utf-8"))
    return {
        node.name: inspect.cleandoc(ast.get_docstring(node) or "")
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


def section(docstring: str, title: str) -> str:
    """The body of a NumPy-style section (``title`` underlined by dashes), up to the next section."""
    match = re.search(rf"^{title}\n-+\n(.*?)(?=^\w[^\n]*\n-+\n|\Z)", docstring, flags=re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


def bullets_of(text: str) -> list[str]:
    """The ``- `` bullets of ``text``, each joined onto one line."""
    bullets: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            bullets.append(stripped[2:])
        elif stripped and bullets:
            bullets[-1] += " " + stripped
    return bullets


def _cases():
    for pack in course.packs():
        for function, parameters in pack.functions.items():
            for folder in FOLDERS:
                yield pytest.param(pack, function, parameters, folder, id=f"{folder}-{function}")


@pytest.mark.parametrize(("pack", "function", "parameters", "folder"), list(_cases()))
def test_raises_section_lists_exactly_the_checked_rules(pack, function, parameters, folder):
    docstring = _docstrings(folder, pack.module)[function]
    raises = section(docstring, "Raises")
    assert raises.splitlines()[0].strip() == "ValueError", f"{folder}/{pack.module}.py:{function}: Raises must name ValueError"
    lead = raises_lead(parameters)
    assert " ".join(raises.split()).startswith(f"ValueError {lead}"), (
        f"{folder}/{pack.module}.py:{function}: lead must be {lead!r}"
    )
    expected = raises_bullets(function, parameters, enforced_rules(pack, function))
    written = bullets_of(raises)
    assert written == expected, (
        f"{folder}/{pack.module}.py:{function}: the Raises bullets differ from the rules its checks enforce.\n"
        "Expected:\n" + "\n".join(f"- {bullet}" for bullet in expected)
    )


@pytest.mark.parametrize(("pack", "function", "parameters", "folder"), list(_cases()))
def test_counts_accept_numpy_integers_in_the_docstring(pack, function, parameters, folder):
    entries = section(_docstrings(folder, pack.module)[function], "Parameters")
    if (LOOSE_INPUTS, "") not in enforced_rules(pack, function):
        return
    for parameter in parameters:
        if parameter.kind != "count":
            continue
        entry = re.search(rf"^{parameter.name} :.*?(?=^\w+ :|\Z)", entries, flags=re.MULTILINE | re.DOTALL)
        assert entry, f"{folder}/{pack.module}.py:{function} documents no parameter {parameter.name}"
        assert "NumPy integer" in entry.group(0), f"{folder}/{pack.module}.py:{function}: say that a NumPy integer is fine"


def test_every_function_rule_is_enforced_by_a_check_of_its_pack():
    for function, (check, _) in FUNCTION_RULES.items():
        pack = next(pack for pack in course.packs() if function in pack.functions)
        tree = ast.parse(pack.check_file.read_text(encoding="utf-8"))
        defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert f"test_{check}" in defined, f"{function}: no check {check} in {pack.check_file.name} enforces its extra rule"


def test_a_docstring_that_omits_a_rule_fails():
    """The comparison above can fail: drop the NaN rule of ``lam`` and the bullets no longer match."""
    parameter = course.Parameter(name="lam", kind="nonnegative")
    rules = {("out_of_range", "lam")}
    expected = raises_bullets("some_function", (parameter,), rules)
    assert bullets_of("- ``lam`` is negative or infinite.") != expected
    assert bullets_of("- " + expected[0]) == expected


def test_only_the_rules_a_check_applies_are_promised():
    matrix = course.Parameter(name="X", kind="matrix")
    vector = course.Parameter(name="y", kind="vector", length="rows of X")
    assert raises_bullets("f", (matrix, vector), {("bad_values", "")}) == [
        "``X`` holds NaN or infinity;",
        "``y`` holds NaN or infinity.",
    ]
    assert parameter_bullet(matrix, {("bad_shapes", ""), ("bad_values", "")}) == "``X`` is not 2-D or holds NaN or infinity;"
    assert parameter_bullet(course.Parameter(name="lr", kind="positive"), {("out_of_range", "lam")}) is None


def test_sections_are_found():
    docstring = (
        "Summary.\n\nParameters\n----------\nx : int\n    A NumPy integer.\n\nRaises\n------\nValueError\n    - a;\n    - b.\n"
    )
    assert bullets_of(section(docstring, "Raises")) == ["a;", "b."]
    assert "NumPy integer" in section(docstring, "Parameters")
    assert "Raises" not in section(docstring, "Parameters")
