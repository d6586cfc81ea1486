"""The lock: ``nox -s lock`` re-resolves ``uv.lock`` and exports ``lock/<purpose>.txt``.

``uv.lock`` is the one resolution of every dependency group in
``pyproject.toml`` (one version of each package for every supported Python
and platform, with hashes). Each file in ``lock/`` is that resolution
restricted to one environment, as a hash-checked requirements file that
both pip and uv install, so a machine with only Python and pip installs
exactly what the kit was verified with:

- ``grade.txt``: the grader (every student session, grade-all, Classroom, Gradescope);
- ``verify.txt``: the kit's test suite; ``docs.txt``: the course site;
- ``bootstrap.txt``: nox and uv, which ``python3 noxw.py`` installs into ``.venv``;
- ``notebook.txt``: the workbook's kernel and JupyterLab (``nox -s notebook``);
- ``bulk.txt``: the grader plus copydetect, for grading a class (grade-all, class-report, merge-grades).

``python -m tools.lock [UV-LOCK-OPTIONS]`` runs ``uv lock --upgrade`` (or
``uv lock`` with the options given, e.g. ``--upgrade-package numpy``), then
exports; ``--check`` only checks that ``lock/`` is the export of ``uv.lock``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from checks.engine import course

ROOT = course.KIT_ROOT
LOCK_DIR = ROOT / "lock"
# The environments exported from uv.lock, one dependency group each.
PURPOSES = ("grade", "verify", "docs", "bootstrap", "notebook", "bulk")


def lock_file(purpose: str, kit: Path = ROOT) -> Path:
    """The hash-checked requirements file of one environment."""
    return kit / "lock" / f"{purpose}.txt"


def dependency_groups(kit: Path = ROOT) -> dict:
    with (kit / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["dependency-groups"]


def _uv() -> list[str]:
    """The command that runs uv: the one installed beside this Python (from lock/bootstrap.txt), else PATH's."""
    try:
        from uv import find_uv_bin

        return [find_uv_bin()]
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if found is None:
            raise SystemExit("error: uv is not installed; run nox -s lock (it installs uv)") from None
        return [found]


def export(purpose: str, out: Path, kit: Path = ROOT) -> None:
    subprocess.run(
        [*_uv(), "export", "--frozen", "--quiet", "--format", "requirements-txt", "--only-group", purpose,
         "--no-emit-project", "--no-header", "--output-file", str(out)],
        cwd=kit,
        check=True,
    )  # fmt: skip


def stale(kit: Path = ROOT) -> list[str]:
    """The lock files that are not the export of ``uv.lock`` as it stands."""
    with tempfile.TemporaryDirectory() as scratch:
        found = []
        for purpose in PURPOSES:
            fresh = Path(scratch) / f"{purpose}.txt"
            export(purpose, fresh, kit)
            current = lock_file(purpose, kit)
            if not current.is_file() or current.read_bytes() != fresh.read_bytes():
                found.append(current.relative_to(kit).as_posix())
        return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s lock --", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that lock/ is the export of uv.lock")
    arguments, uv_options = parser.parse_known_args(argv)
    if arguments.check:
        outdated = stale()
        for path in outdated:
            print(f"error: {path} is not the export of uv.lock: run nox -s lock", file=sys.stderr)
        return 1 if outdated else 0
    subprocess.run([*_uv(), "lock", *(uv_options or ["--upgrade"])], cwd=ROOT, check=True)
    LOCK_DIR.mkdir(exist_ok=True)
    for purpose in PURPOSES:
        export(purpose, lock_file(purpose))
    print(f"Locked: uv.lock and {', '.join(f'lock/{p}.txt' for p in PURPOSES)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
