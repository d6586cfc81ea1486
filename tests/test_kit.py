"""The kit's layout keeps its promises: stubs match the reference, checks stand alone, metadata is whole."""

import ast
import inspect
from pathlib import Path

import pytest

from checks.engine import course
from tests.conftest import ROOT


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    return {
        node.name: node
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


@pytest.mark.parametrize("module", course.modules())
def test_stub_signatures_match_the_reference(module):
    stubs, reference = _functions(ROOT / "exercises" / f"{module}.py"), _functions(ROOT / "solutions" / f"{module}.py")
    assert stubs.keys() == reference.keys()
    for name, stub in stubs.items():
        assert ast.dump(stub.args) == ast.dump(reference[name].args), name
        summary = lambda node: inspect.cleandoc(ast.get_docstring(node)).splitlines()[0]  # noqa: E731
        assert summary(stub) == summary(reference[name]), name


@pytest.mark.parametrize("module", course.modules())
def test_every_stub_raises_not_implemented(module):
    for name, stub in _functions(ROOT / "exercises" / f"{module}.py").items():
        last = stub.body[-1]
        assert isinstance(last, ast.Raise) and "NotImplementedError" in ast.unparse(last), name
        assert len(stub.body) == 2, f"{name} should hold only its docstring and the raise"


@pytest.mark.parametrize("module", course.modules())
def test_every_function_docstring_states_parameters_returns_and_raises(module):
    for folder in ("exercises", "solutions"):
        for name, function in _functions(ROOT / folder / f"{module}.py").items():
            doc = ast.get_docstring(function)
            for section in ("Parameters", "Returns", "Raises"):
                assert section in doc, f"{folder}/{module}.py:{name} lacks {section}"


def test_checks_never_import_solutions():
    for path in (ROOT / "checks").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(name.split(".")[0] == "solutions" for name in names), path


def test_every_exercise_has_its_files_and_lesson():
    for exercise in course.packs():
        assert (ROOT / "exercises" / f"{exercise.module}.py").is_file()
        assert (ROOT / "solutions" / f"{exercise.module}.py").is_file()
        assert exercise.check_file.is_file()
        assert (ROOT / "docs" / exercise.lesson.split("#")[0]).is_file(), exercise.lesson
        assert exercise.hints and exercise.points_per_check > 0


def test_check_files_cover_exactly_the_exercises():
    assert {p.stem.removeprefix("test_") for p in (ROOT / "checks").rglob("test_*.py")} == set(course.modules())


@pytest.mark.parametrize("module", course.modules())
def test_reference_modules_do_not_import_each_other(module):
    """Modules are graded independently, so the reference must not lean on a sibling module."""
    tree = ast.parse((ROOT / "solutions" / f"{module}.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & set(course.modules())
