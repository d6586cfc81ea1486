"""The reference modules of ``solutions/``, imported for the figures and the lesson numbers.

``RIDGE_LAB_SOLUTIONS`` names another folder. The modules are flat (they
import ``_validation``), so the folder is on ``sys.path`` only while they are
imported, and they are taken out of ``sys.modules`` again afterwards.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path


def solutions_folder(kit: Path) -> Path:
    """``RIDGE_LAB_SOLUTIONS`` if set, else ``solutions/`` of the kit."""
    return Path(os.environ.get("RIDGE_LAB_SOLUTIONS") or kit / "solutions").resolve()


def missing(folder: Path, modules: tuple[str, ...]) -> list[str]:
    """The files of ``modules`` that ``folder`` lacks."""
    return [f"{module}.py" for module in modules if not (folder / f"{module}.py").is_file()]


def load(folder: Path, modules: tuple[str, ...]) -> dict:
    """``{name: module}`` for ``modules`` imported from ``folder``, without leaving them behind."""
    saved = {m: sys.modules.pop(m) for m in modules if m in sys.modules}
    sys.path.insert(0, str(folder))
    try:
        return {m: importlib.import_module(m) for m in modules}
    finally:
        sys.path.remove(str(folder))
        for m in modules:
            sys.modules.pop(m, None)
        sys.modules.update(saved)
