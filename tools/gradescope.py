"""The Gradescope autograder: ``nox -s gradescope`` builds ``dist/gradescope-autograder.zip``.

Gradescope's autograder specification: the zip is unpacked into
``/autograder/source``; ``setup.sh`` runs once when the image is built;
``run_autograder`` runs for every submission, which Gradescope puts in
``/autograder/submission``, and must write ``/autograder/results/results.json``.

The zip holds ``setup.sh`` (installs Python ≥ 3.11 if needed and exactly the
locked ``lock/grade.txt``, hash-checked, into ``/autograder/venv``),
``run_autograder`` (both from ``tools/templates/gradescope/``), the
instructor's grading files, ``pyproject.toml`` (the kit version) and the
runtime ``tools/autograder.py``, which grades a submission and always writes
``results.json`` (see there). This module only builds; nothing of it ships.

``RIDGE_LAB_AUTOGRADER_ROOT`` replaces ``/autograder`` (the tests simulate
the layout in a temporary folder); ``RIDGE_LAB_PYTHON`` the Python to use;
``RIDGE_LAB_AUTOGRADER_TIMEOUT`` the grading time limit in seconds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools import autograder, kit

ROOT = kit.ROOT
DEFAULT_OUT = ROOT / "dist" / "gradescope-autograder.zip"
RUNTIME = ("tools/__init__.py", "tools/autograder.py")


def autograder_files(source: Path = ROOT) -> dict[str, tuple[bytes, int]]:
    """``{path in the zip: (content, mode)}``."""
    scripts = {
        "setup.sh": kit.fill(kit.template("gradescope/setup.sh"), LOCK=kit.GRADE_LOCK),
        "run_autograder": kit.fill(
            kit.template("gradescope/run_autograder"), TIMEOUT=f"{autograder.DEFAULT_TIMEOUT_SECONDS:.0f}"
        ),
    }
    files = {name: (text.encode(), 0o755) for name, text in scripts.items()}
    for name in ("pyproject.toml", kit.GRADE_LOCK, *RUNTIME):
        files[name] = ((source / name).read_bytes(), 0o644)
    for name, path in kit.grading_files(source).items():
        files[name] = (path.read_bytes(), 0o644)
    return files


def build(out: Path = DEFAULT_OUT) -> Path:
    return kit.write_zip(out, autograder_files())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.gradescope", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    build_parser = commands.add_parser("build", help="build the autograder zip (the default)")
    build_parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args(argv)
    out = build(getattr(arguments, "out", DEFAULT_OUT))
    print(
        f"Wrote {out} ({out.stat().st_size / 1024:.0f} KB). Upload it as the assignment's autograder (Ubuntu 24.04 base image)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
