"""What every hook needs from the kit: its folder and its course (``checks.engine.course``).

The kit is the folder of ``mkdocs.yml``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType


def kit_folder(config) -> Path:
    """The kit's root: the folder holding ``mkdocs.yml``."""
    return Path(config.config_file_path).resolve().parent


def course_of(kit: Path) -> ModuleType:
    """``checks.engine.course`` of the kit in ``kit``, its pack list re-read (``mkdocs serve`` rebuilds after edits)."""
    if str(kit) not in sys.path:
        sys.path.insert(0, str(kit))
    from checks.engine import course

    course.packs.cache_clear()
    return course
