"""The workbook: ``python -m tools.workbook`` writes ``workbook.ipynb`` from the exercise packs (``--check`` only compares).

One section per exercise, in the course's order: its title, summary and
lesson, a ``%exercise`` cell (the file to edit), a ``%grade`` cell and a
``%hint`` cell, without outputs. Like the Classroom workflow it is generated
from the packs, never kept by hand: ``nox -s release`` puts it in the student
release and ``nox -s notebook`` writes it before opening it, so a new
exercise pack appears in it with no edit.
"""

from __future__ import annotations

import argparse
import json
import sys

from checks.engine import course
from tools import kit

WORKBOOK = kit.ROOT / "workbook.ipynb"
EXTENSION = "ridge_lab"


def _cell(kind: str, identifier: str, source: str) -> dict:
    cell = {"cell_type": kind, "id": identifier, "metadata": {}, "source": source.strip("\n").splitlines(keepends=True)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _introduction() -> list[dict]:
    first = course.modules()[0]
    return [
        _cell(
            "markdown",
            "introduction",
            f"""
# {course.name()}: the workbook

Each section below is one exercise, in the order to do them. You write your
code in the exercise files (`exercises/`), not in this notebook: `%grade`
grades those files exactly as `nox -s grade` does, in a separate process, so
an infinite loop or a crash in your code costs only the checks it touches.

| command | what it does |
| --- | --- |
| `%exercise {first}` | the file to edit and the functions to write (on Colab it opens the file in Colab's editor) |
| `%grade {first}` | grade one module and show its score, the first failing check's feedback and the lesson |
| `%grade` | grade every module |
| `%hint {first}` | the next hint for a module |

On Colab, first run the three cells of the README's section "In a notebook"
(they fetch the kit and load the extension). Elsewhere, run the next cell.
""",
        ),
        _cell("code", "load-extension", f"%load_ext {EXTENSION}"),
    ]


def _section(number: int, exercise: course.ExercisePack) -> list[dict]:
    lesson = f"docs/{exercise.lesson}"
    return [
        _cell(
            "markdown",
            f"{exercise.module}-introduction",
            f"""
## {number}. {exercise.title}

{exercise.summary}

Lesson: [{lesson}]({lesson}). Run the next cell, write the functions in the file it names, save the file, then grade.
""",
        ),
        _cell("code", f"{exercise.module}-exercise", f"%exercise {exercise.module}"),
        _cell("code", f"{exercise.module}-grade", f"%grade {exercise.module}"),
        _cell("markdown", f"{exercise.module}-stuck", "Stuck? Each run of the next cell shows one more hint."),
        _cell("code", f"{exercise.module}-hint", f"%hint {exercise.module}"),
    ]


def _closing() -> list[dict]:
    return [
        _cell("markdown", "everything", "## All together\n\nGrade every module at once (this also writes `results.json`)."),
        _cell("code", "grade-everything", "%grade"),
    ]


def build() -> dict:
    """The workbook as an nbformat 4 notebook (a dictionary), without outputs."""
    cells = _introduction()
    for number, exercise in enumerate(course.packs(), start=1):
        cells += _section(number, exercise)
    cells += _closing()
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def text() -> str:
    return json.dumps(build(), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.workbook", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that workbook.ipynb is up to date")
    arguments = parser.parse_args(argv)
    if arguments.check:
        if not WORKBOOK.is_file() or WORKBOOK.read_text(encoding="utf-8") != text():
            print("error: workbook.ipynb is not what tools/workbook.py writes: run python -m tools.workbook", file=sys.stderr)
            return 1
        return 0
    WORKBOOK.write_text(text(), encoding="utf-8")
    print(f"Wrote {WORKBOOK.relative_to(kit.ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
