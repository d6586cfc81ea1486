"""The Gradescope autograder: ``nox -s gradescope`` builds ``dist/gradescope-autograder.zip``.

Gradescope's autograder specification: the zip is unpacked into
``/autograder/source``; ``setup.sh`` runs once when the image is built;
``run_autograder`` runs for every submission, which Gradescope puts in
``/autograder/submission``, and must write ``/autograder/results/results.json``.

The zip holds ``setup.sh`` (installs Python ≥ 3.11 if needed and the
pinned ``requirements.txt`` into ``/autograder/venv``), ``run_autograder``,
the instructor's ``checks/``, ``pyproject.toml`` (the kit version) and this
module. ``run_autograder`` calls ``python -m tools.gradescope run``, which
copies only the five exercise files out of the submission (anything else,
a ``checks/`` folder included, is ignored: the instructor's checks grade),
runs the grader on them and always writes ``results.json``: a missing,
empty or broken submission gets every check failed with the reason, and if
the grader itself cannot run, a report saying so with score 0.

``RIDGE_LAB_AUTOGRADER_ROOT`` replaces ``/autograder`` (the tests simulate
the layout in a temporary folder); ``RIDGE_LAB_PYTHON`` the Python to use.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "dist" / "gradescope-autograder.zip"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
GRADE_TIMEOUT_SECONDS = 900  # Gradescope's own default limit is 10 minutes; ours is never reached in practice

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
cd "$(dirname "$0")"
has_python() { command -v python3 >/dev/null && python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if ! has_python || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
fi
if ! has_python; then
    echo "Ridge Lab needs Python 3.11 or newer: choose the Ubuntu 24.04 base image in Gradescope." >&2
    exit 1
fi
ROOT="${RIDGE_LAB_AUTOGRADER_ROOT:-/autograder}"
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. It always leaves results/results.json.
ROOT="${RIDGE_LAB_AUTOGRADER_ROOT:-/autograder}"
PYTHON="${RIDGE_LAB_PYTHON:-$ROOT/venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
cd "$ROOT/source" || exit 1
"$PYTHON" -m tools.gradescope run --root "$ROOT"
status=$?
if [ ! -s "$ROOT/results/results.json" ]; then
    mkdir -p "$ROOT/results"
    printf '{"score": 0, "output": "The autograder could not run (status %s); please tell your instructor.", "tests": []}\\n' "$status" > "$ROOT/results/results.json"
fi
exit 0
"""


# ------------------------------------------------------------------ building


def pinned_requirements() -> list[str]:
    """``name==version`` for the grade group and everything it needs, as installed here."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    with (ROOT / "pyproject.toml").open("rb") as handle:
        import tomllib

        groups = tomllib.load(handle)["dependency-groups"]
    environment = default_environment()
    pins: dict[str, str] = {}
    todo = [Requirement(text) for text in groups["grade"] if isinstance(text, str)]
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({**environment, "extra": ""}):
            continue
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        if name in pins:
            continue
        pins[name] = importlib.metadata.version(requirement.name)
        todo.extend(Requirement(text) for text in importlib.metadata.requires(requirement.name) or [])
    return [f"{name}=={version}" for name, version in sorted(pins.items())]


def autograder_files() -> dict[str, tuple[bytes, int]]:
    """``{path in the zip: (content, mode)}``."""
    from tools.release import checks_files

    files = {
        "setup.sh": (SETUP_SH.encode(), 0o755),
        "run_autograder": (RUN_AUTOGRADER.encode(), 0o755),
        "requirements.txt": (("\n".join(pinned_requirements()) + "\n").encode(), 0o644),
        "pyproject.toml": ((ROOT / "pyproject.toml").read_bytes(), 0o644),
        "tools/__init__.py": ((ROOT / "tools" / "__init__.py").read_bytes(), 0o644),
        "tools/gradescope.py": (Path(__file__).read_bytes(), 0o644),
    }
    for path in checks_files():
        files[f"checks/{path.name}"] = (path.read_bytes(), 0o644)
    return files


def build(out: Path = DEFAULT_OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, (data, mode) in sorted(autograder_files().items()):
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = mode << 16
            archive.writestr(info, data)
    temporary.replace(out)
    return out


# ------------------------------------------------------------------- running


def _fallback(reason: str) -> dict:
    return {
        "score": 0,
        "output": f"The autograder could not grade this submission: {reason}. Please tell your instructor.",
        "tests": [{"name": "grader", "score": 0, "max_score": 0, "status": "failed", "output": reason}],
    }


def _write(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def run(root: Path) -> int:
    """Grade ``root/submission`` with the checks next to this file; always write ``root/results/results.json``."""
    results = root / "results" / "results.json"
    source = Path(__file__).resolve().parents[1]
    scratch = Path(tempfile.mkdtemp(prefix="ridge-lab-gradescope-"))
    started = time.perf_counter()
    try:
        sys.path.insert(0, str(source))
        from checks.engine.bulk import take_submission

        folder = scratch / "submission"
        folder.mkdir()
        submission = root / "submission"
        notes = "no submission folder"
        taken_files: dict = {}
        if submission.is_dir():
            taken = take_submission(submission, folder)
            notes, taken_files = taken.reason(), taken.files
        report_path = scratch / "results.json"
        completed = subprocess.run(
            [sys.executable, "-m", "checks.engine.grade", str(folder), "--report", str(report_path)],
            cwd=source,
            env=dict(os.environ, PYTHONPATH=str(source), PYTHONDONTWRITEBYTECODE="1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=GRADE_TIMEOUT_SECONDS,
        )
        print(completed.stdout)
        if not report_path.is_file():
            raise RuntimeError(f"the grader exited with status {completed.returncode} without a report")
        document = json.loads(report_path.read_text(encoding="utf-8"))
        taken_text = ", ".join(f"{name} (from {where})" for name, where in taken_files.items()) or "none"
        document["output"] = f"Graded your exercise files: {taken_text}." + (f"\n{notes.capitalize()}." if notes else "")
        document.setdefault("extra_data", {}).update({"files": taken_files, "submission_notes": notes})
        _write(results, document)
        return 0
    except BaseException as error:  # noqa: BLE001 - a report must always be written
        _write(results, _fallback(f"{type(error).__name__}: {error}"))
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        print(f"Ridge Lab autograder finished in {time.perf_counter() - started:.1f} s.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.gradescope", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    build_parser = commands.add_parser("build", help="build the autograder zip (the default)")
    build_parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    run_parser = commands.add_parser("run", help="grade a submission (what run_autograder calls)")
    run_parser.add_argument("--root", type=Path, default=Path(os.environ.get("RIDGE_LAB_AUTOGRADER_ROOT", "/autograder")))
    arguments = parser.parse_args(argv)
    if arguments.command == "run":
        return run(arguments.root)
    out = build(getattr(arguments, "out", DEFAULT_OUT))
    print(
        f"Wrote {out} ({out.stat().st_size / 1024:.0f} KB). Upload it as the assignment's autograder (Ubuntu 24.04 base image)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
