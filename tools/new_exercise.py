"""Write a new exercise: ``nox -s new-exercise -- NAME``.

Creates, and never overwrites, every file an exercise needs (see
CONTRIBUTING.md, "Adding an exercise"): the stub, the reference, the pack
(``pack.toml``, ``pack.py``, ``__init__.py``, ``test_NAME.py``), a lesson page
with a quiz, the mistake bank and the alternatives (also the loops-and-lists
one). No other file needs an edit: the grader, the site's navigation and the
Classroom workflow take the exercise from its pack.

The files hold a small working placeholder exercise (``NAME_value(X)``, the
mean of the squared entries of ``X``), so the kit passes ``nox -s verify``
with it from the start; the author then replaces it piece by piece, and verify
names each missing or inconsistent piece.
"""

from __future__ import annotations

import argparse
import re
import sys

from checks.engine import course
from checks.engine.files import UsageError
from tools import kit

ROOT = course.KIT_ROOT


# Each new file: its path (NAME is the module) and its template in tools/templates/new_exercise/.
FILES = {
    "exercises/NAME.py": "stub.py.tmpl",
    "solutions/NAME.py": "solution.py.tmpl",
    "checks/packs/NAME/__init__.py": None,
    "checks/packs/NAME/pack.toml": "pack.toml.tmpl",
    "checks/packs/NAME/pack.py": "pack.py.tmpl",
    "checks/packs/NAME/test_NAME.py": "checks.py.tmpl",
    "docs/lessons/NAME.md": "lesson.md.tmpl",
    "tests/mistakes/NAME.py": "mistakes.py.tmpl",
    "tests/alternatives/NAME.py": "alternatives.py.tmpl",
    "tests/alternatives/loops/NAME.py": "loops.py.tmpl",
}


def skeleton(name: str) -> dict[str, str]:
    """The new files, by path relative to the kit root."""
    function = f"{name}_value"
    values = {
        "NAME": name,
        "FUNCTION": function,
        "ORDER": str(max((pack.order for pack in course.packs()), default=0) + 1),
        "DOCSTRING": kit.template("new_exercise/docstring.txt"),
    }
    files = {}
    for path, template in FILES.items():
        text = "" if template is None else kit.template(f"new_exercise/{template}")
        used = {key: value for key, value in values.items() if f"@{key}@" in text}
        files[path.replace("NAME", name)] = kit.fill(text, **used)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s new-exercise --", description="Write the skeleton of a new exercise.")
    parser.add_argument("name", help="module name: lower case letters, digits and _")
    arguments = parser.parse_args(argv)
    try:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", arguments.name):
            raise UsageError(f"{arguments.name!r} is not a module name (lower case letters, digits and _)")
        if arguments.name in course.modules():
            raise UsageError(f"{arguments.name} exists already")
        files = skeleton(arguments.name)
        clashes = [path for path in files if (ROOT / path).exists()]
        if clashes:
            raise UsageError(f"would overwrite {', '.join(clashes)}")
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path, text in files.items():
        target = ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"  wrote {path}")
    print(
        f"\nThese files hold a working placeholder exercise, {arguments.name}_value(X). Replace it, piece by piece\n"
        "(CONTRIBUTING.md, 'Adding an exercise'), running nox -s verify after each:\n"
        "  1. the functions and docstrings in exercises/ and solutions/;\n"
        "  2. pack.toml: title, summary, hints, every function's parameters and returns;\n"
        "  3. pack.py: EXAMPLE_CALLS, an oracle derived differently, MISCONCEPTIONS;\n"
        f"  4. test_{arguments.name}.py: one check per mathematical property;\n"
        "  5. the lesson and its quiz; the mistake bank and the alternatives.\n"
        "No other file needs an edit: nox -s verify names every missing or inconsistent piece."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
