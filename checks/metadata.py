"""Read ``checks/exercises.toml``, the one home of the exercises' metadata.

The grader, the course site's build hook and the release builder all go
through ``exercises()``; none of them restates a title, a hint or a lesson.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

METADATA_FILE = Path(__file__).with_name("exercises.toml")


@dataclass(frozen=True)
class Exercise:
    """One exercise module, as declared in ``exercises.toml``."""

    module: str
    title: str
    lesson: str
    summary: str
    points_per_check: int
    hints: tuple[str, ...]

    @property
    def check_file(self) -> str:
        """The pytest file holding this module's checks, relative to ``checks/``."""
        return f"test_{self.module}.py"


@functools.cache
def exercises() -> tuple[Exercise, ...]:
    """All exercises in the order students should do them."""
    with METADATA_FILE.open("rb") as handle:
        table = tomllib.load(handle)
    return tuple(
        Exercise(
            module=entry["module"],
            title=entry["title"],
            lesson=entry["lesson"],
            summary=entry["summary"],
            points_per_check=int(entry["points_per_check"]),
            hints=tuple(entry["hints"]),
        )
        for entry in table["exercise"]
    )


def module_of_check_file(path: Path) -> str | None:
    """``checks/test_decay.py`` → ``"decay"``; None for any other file."""
    stem = Path(path).stem
    return stem.removeprefix("test_") if stem.startswith("test_") else None


def modules() -> tuple[str, ...]:
    return tuple(exercise.module for exercise in exercises())


def exercise(module: str) -> Exercise:
    """The exercise named ``module``; ``KeyError`` if there is none."""
    for candidate in exercises():
        if candidate.module == module:
            return candidate
    raise KeyError(module)
