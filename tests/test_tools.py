"""The instructor tools: one home for shared facts, no import cycle, no module list of their own."""

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

TOOLS = ROOT / "tools"


def _tool_imports(path: Path) -> set[str]:
    """The ``tools`` modules that ``path`` imports (anywhere in it, functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "tools":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tools."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("tools.")}
    return found


def test_the_tools_import_one_another_without_a_cycle():
    graph = {path.stem: _tool_imports(path) for path in TOOLS.glob("*.py")}
    state: dict[str, str] = {}

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert state.get(module) != "open", f"import cycle: {' -> '.join((*trail, module))}"
        if state.get(module) == "done":
            return
        state[module] = "open"
        for imported in graph.get(module, ()):
            visit(imported, (*trail, module))
        state[module] = "done"

    for module in graph:
        visit(module, ())


def test_the_shared_facts_module_imports_no_other_tool():
    assert _tool_imports(TOOLS / "kit.py") == set()


def test_the_gradescope_runtime_needs_no_builder():
    assert _tool_imports(TOOLS / "autograder.py") == set()


def _scripts(path: Path) -> list[str]:
    """String constants of ``path`` that are programs of several lines (not docstrings)."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and node.value.count("\n") >= 2
        and re.search(r"^(#!|import |from \w+ import |python - <<)", node.value, flags=re.M)
    ]


def test_no_tool_holds_a_script_in_a_string():
    held = {path.name: _scripts(path) for path in TOOLS.glob("*.py")}
    assert {name: scripts for name, scripts in held.items() if scripts} == {}, "move the scripts to tools/templates/"
