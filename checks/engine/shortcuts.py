"""Refuse submissions that import a library which solves the exercise for them.

Decided from the code (the import statements and constant ``__import__`` /
``importlib.import_module`` calls), never from behaviour: the module is not
run at all. NumPy is allowed; ``numpy.linalg`` is what the exercises expect.
"""

from __future__ import annotations

import ast
from pathlib import Path

from checks.engine import course

FORBIDDEN = {
    "sklearn": "scikit-learn",
    "scipy": "SciPy",
    "statsmodels": "statsmodels",
    "torch": "PyTorch",
    "tensorflow": "TensorFlow",
    "keras": "Keras",
    "jax": "JAX",
    "autograd": "autograd",
    "sympy": "SymPy",
    "cvxpy": "CVXPY",
}


def _imported_names(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if name in {"__import__", "import_module"} and isinstance(node.args[0].value, str):
                yield node.args[0].value


def kit_packages() -> dict[str, str]:
    """The kit's own packages a submission may not import, with what each holds."""
    settings = course.course()
    return {
        course.COURSE_DIR.name: "the grader's checks",
        settings.get("solutions", "solutions"): "the reference solutions",
        "tests": "the kit's own tests",
        "tools": "the instructor's tools",
    }


def shortcut(path: Path) -> str | None:
    """Why ``path`` may not be graded, or None. A file that does not parse is left to the import."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError):
        return None
    kit = kit_packages()
    for name in _imported_names(tree):
        top = name.split(".")[0]
        if top in kit:
            return (
                f"{Path(path).name} imports {name} ({kit[top]}): a submission must stand alone. "
                "Where grades are recorded it cannot even see the kit; remove that import to be graded."
            )
        if top in FORBIDDEN:
            return (
                f"{Path(path).name} imports {name} ({FORBIDDEN[top]}), which solves the exercise for you. "
                "Write it with NumPy only; remove that import to be graded."
            )
    return None
