"""The mistake bank and the alternative correct implementations, as submissions.

``tests/mistakes/<module>.py`` and ``tests/alternatives/<module>.py`` hold
small implementations, each function decorated with the entry it belongs to::

    @mistake("l2_penalty.forgot_1_over_n")
    def l2_penalty(w, lam, n_samples):
        ...

The files are read as text, never imported. An entry becomes a submission
folder by copying ``solutions/`` and appending the entry's functions (with the
file's imports and undecorated helper functions) to its module: the later definition replaces the reference
one, and may use the reference module's imports and helpers.

An entry whose key names a known misconception (``checks/misconceptions.py``)
must be diagnosed as that misconception; other keys (``<module>.<what>``) name
mistakes the checks catch without a diagnosis, such as missing validation.
``tests/alternatives/loops/`` is a complete submission written differently
from the reference (plain Python loops and lists, its own validation).
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

from checks.engine import course

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
MODULES = course.modules()


@dataclass(frozen=True)
class Entry:
    """One mistake or alternative: the module it changes and the code appended to it."""

    key: str
    module: str
    code: str

    @property
    def id(self) -> str:
        return self.key


def read_entries(folder: Path, decorator: str) -> list[Entry]:
    """All entries of ``folder/<module>.py`` files, grouped by key, in file order."""
    entries: dict[str, Entry] = {}
    for module in MODULES:
        path = folder / f"{module}.py"
        if not path.is_file():
            continue
        source = path.read_text()
        lines = source.splitlines()
        helpers, decorated = [], []
        for node in ast.parse(source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not ast.unparse(node).startswith("from tests"):
                helpers.append(ast.unparse(node))  # the file's own imports travel with its entries
            if not isinstance(node, ast.FunctionDef):
                continue
            keys = [
                d.args[0].value for d in node.decorator_list if isinstance(d, ast.Call) and getattr(d.func, "id", "") == decorator
            ]
            code = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            (decorated.append((keys[0], code)) if keys else helpers.append(code))
        # Undecorated functions are helpers shared by the file's entries.
        for key, code in decorated:
            previous = entries.get(key)
            combined = f"{previous.code}\n\n\n{code}" if previous else "\n\n\n".join([*helpers, code])
            entries[key] = Entry(key, module, combined)
    return list(entries.values())


def build_submission(entry: Entry | None, destination: Path) -> Path:
    """Write the reference solutions, with ``entry``'s functions appended, to ``destination``."""
    shutil.copytree(SOLUTIONS, destination, ignore=shutil.ignore_patterns("__pycache__"))
    if entry is not None:
        path = destination / f"{entry.module}.py"
        path.write_text(path.read_text() + "\n\n# --- replaced for this test ---\n" + entry.code + "\n")
    return destination


def mistake(key: str):
    """Marks a function as (part of) a mistake-bank entry; the bank reads the key from the source."""
    return lambda function: function


alternative = mistake
