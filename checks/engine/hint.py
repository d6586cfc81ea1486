"""Progressive hints: ``python -m checks.engine.hint MODULE`` (``python3 noxw.py -s hint -- MODULE``).

Each call shows the next hint of the module, like learntools' ``hint(n)``; the
hints live in each exercise pack's ``pack.toml``. How many were shown is remembered in
``.<course>/hints.json`` beside the kit (``--reset`` forgets, ``--all``
shows every hint at once).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from checks.engine import course, report
from checks.engine.report import KIT_ROOT

STATE_FILE = KIT_ROOT / f".{course.slug()}" / "hints.json"


def _load(path: Path) -> dict[str, int]:
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {key: value for key, value in state.items() if isinstance(value, int)} if isinstance(state, dict) else {}


def _save(path: Path, state: dict[str, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, indent=2) + "\n")


def next_hints(module: str, state: dict[str, int], *, show_all: bool = False) -> tuple[list[tuple[int, str]], int]:
    """The hints to show now as ``(number, text)`` pairs, and the new count shown."""
    hints = course.pack(module).hints
    shown = len(hints) if show_all else min(state.get(module, 0) + 1, len(hints))
    first = 0 if show_all else shown - 1
    return [(number + 1, hints[number]) for number in range(first, shown)], shown


def unknown_module(name: str | None) -> str:
    """The one-line error for a module name that is missing or names no module, with the closest match."""
    choices = ", ".join(course.modules())
    if not name:
        return f"give a module: {choices}"
    spelled = name.strip().lower().replace("-", "_").replace(" ", "_").removesuffix(".py")
    close = difflib.get_close_matches(spelled, course.modules(), n=1, cutoff=0.6)
    guess = f"; did you mean {close[0]}?" if close else ""
    return f"unknown module {name!r}{guess} (modules: {choices})"


def main(argv: list[str] | None = None, state_file: Path = STATE_FILE) -> int:
    parser = argparse.ArgumentParser(prog=f"{report.command('hint')} --", description="Show the next hint for a module.")
    parser.add_argument("module", nargs="?", help=", ".join(course.modules()))
    parser.add_argument("--all", action="store_true", help="show every hint of the module")
    parser.add_argument("--reset", action="store_true", help="forget which hints were shown")
    arguments = parser.parse_args(argv)
    state = _load(state_file)
    if arguments.reset:
        state.pop(arguments.module, None) if arguments.module else state.clear()
        _save(state_file, state)
        print(f"Hints reset{' for ' + arguments.module if arguments.module else ''}.")
        return 0
    if arguments.module not in course.modules():
        print(f"error: {unknown_module(arguments.module)}", file=sys.stderr)
        return 2
    exercise = course.pack(arguments.module)
    hints, shown = next_hints(arguments.module, state, show_all=arguments.all)
    print(f"{exercise.title} ({exercise.module})")
    for number, text in hints:
        print(f"\nHint {number}/{len(exercise.hints)}: {text}")
    if shown >= len(exercise.hints):
        print(f"\nThat was the last hint. The lesson explains the rest: docs/{exercise.lesson}")
    else:
        print(f"\nRun {report.command('hint', exercise.module)} again for the next hint.")
    state[arguments.module] = shown
    _save(state_file, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
