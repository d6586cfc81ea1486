"""The Gradescope autograder at run time: ``python -m tools.autograder [--root ROOT] [--timeout SECONDS]``.

``run_autograder`` (``tools/templates/gradescope/``) calls this for every
submission. It copies only the exercise files out of ``ROOT/submission``
(anything else, a ``checks/`` folder included, is ignored: the instructor's
checks grade), grades them with ``checks.engine.grade`` in a subprocess and
writes ``ROOT/results/results.json``. ``ROOT`` is ``/autograder`` unless
``RIDGE_LAB_AUTOGRADER_ROOT`` says otherwise (the tests simulate the layout).

Whatever the submission does, the report is this module's own:

- whatever is at ``results/results.json`` before or after grading (a file
  the submission wrote, a folder, a link) is replaced, through a temporary
  file of an unpredictable name;
- the grader's output goes to a file, never a pipe, so a process the
  submission leaves behind (a daemon holding stdout open) cannot make this
  wait; grading stops at ``--timeout`` seconds and a report saying so is
  written;
- before this returns, every process the grading started is dead (this
  process is their subreaper: nothing escapes by double-forking) and every
  folder holding the submission's files is gone (the grader's temporary
  files live inside this run's scratch folder);
- a missing, empty or broken submission gets every check failed with the
  reason; if the grader cannot run at all, a report saying so with score 0.

Exit status 0 when this wrote ``results.json`` (whatever the score), else 1.
Ships inside the autograder zip (``tools/gradescope.py`` builds it); it
needs the standard library and ``checks/`` only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1]
DEFAULT_ROOT = Path(os.environ.get("RIDGE_LAB_AUTOGRADER_ROOT", "/autograder"))
# Below Gradescope's default limit (10 minutes), so the report is ours, not a timeout's.
DEFAULT_TIMEOUT_SECONDS = 540.0
MAX_LOG_BYTES = 2**20  # of the grader's output, shown in Gradescope's log


class GradingError(Exception):
    """The grader could not produce a report; the message is the reason shown to the student."""


def fallback(reason: str) -> dict:
    return {
        "score": 0,
        "output": f"The autograder could not grade this submission: {reason}. Please tell your instructor.",
        "tests": [{"name": "grader", "score": 0, "max_score": 0, "status": "failed", "output": reason}],
    }


def _remove(path: Path) -> None:
    """Remove whatever is at ``path``: a file, a link or a folder."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def write_report(path: Path, document: dict) -> None:
    """Write ``document`` to ``path``, replacing whatever is there (through a temporary file of a fresh name)."""
    folder = path.parent
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        _remove(folder)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".results-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=2, ensure_ascii=False)
            stream.write("\n")
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _kill_everything(process: subprocess.Popen) -> None:
    """Kill the grader and every process it started, wherever it went (a session, a double fork), and reap them."""
    from checks.engine.bulk import pool

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
    pool.sweep_orphans()


def grade(folder: Path, scratch: Path, timeout: float, seed: int | None = None) -> tuple[dict, str]:
    """Grade ``folder`` (under ``seed``, else a fresh secret one); return the report and the grader's output. Raises ``GradingError``."""
    report_path = scratch / "results.json"
    log_path = scratch / "grader.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "checks.engine.grade", str(folder), "--report", str(report_path)]
            + ([] if seed is None else ["--seed", str(seed)]),
            cwd=SOURCE,
            env=dict(os.environ, PYTHONPATH=str(SOURCE), PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(scratch)),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed below with all it started
        )
        try:
            process.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            _kill_everything(process)
    with log_path.open("rb") as log:
        output = log.read(MAX_LOG_BYTES).decode("utf-8", errors="replace")
    if timed_out:
        raise GradingError(f"grading took longer than {timeout:g} s")
    try:
        return json.loads(report_path.read_text(encoding="utf-8")), output
    except (OSError, ValueError):
        raise GradingError(f"the grader exited with status {process.returncode} without a report") from None


def run(root: Path, timeout: float = DEFAULT_TIMEOUT_SECONDS, seed: int | None = None) -> int:
    """Grade ``root/submission`` with the checks beside this file; write ``root/results/results.json``."""
    results = root / "results" / "results.json"
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="ridge-lab-gradescope-"))
    scratch.chmod(0o711)  # a worker's uid may pass through to the copy it reads (outside a jail), never list it
    try:
        try:
            _remove(results)  # nothing a submission left there may survive, even if grading fails
            sys.path.insert(0, str(SOURCE))
            from checks.engine import sandbox
            from checks.engine.bulk import pool, take_submission

            pool.become_subreaper()
            warning = sandbox.warning()
            if warning:
                print(warning)

            folder = scratch / "submission"
            folder.mkdir()
            submission = root / "submission"
            notes, taken_files = "no submission folder", {}
            if submission.is_dir():
                taken = take_submission(submission, folder)
                notes, taken_files = taken.reason(), taken.files
            document, output = grade(folder, scratch, timeout, seed)
            print(output)
            taken_text = ", ".join(f"{name} (from {where})" for name, where in taken_files.items()) or "none"
            document["output"] = f"Graded your exercise files: {taken_text}." + (f"\n{notes.capitalize()}." if notes else "")
            document.setdefault("extra_data", {}).update({"files": taken_files, "submission_notes": notes})
        except Exception as error:  # noqa: BLE001 - a report must always be written
            reason = str(error) if isinstance(error, GradingError) else f"{type(error).__name__}: {error}"
            print(f"error: {reason}", file=sys.stderr)
            document = fallback(reason)
        write_report(results, document)
        return 0
    except Exception as error:  # noqa: BLE001 - not even a report could be written; run_autograder writes one
        print(f"error: could not write {results}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        print(f"Ridge Lab autograder finished in {time.perf_counter() - started:.1f} s.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.autograder", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="Gradescope's /autograder (default: %(default)s)")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="seconds for grading (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, help="regrade exactly: the seed a report records in extra_data.seed")
    arguments = parser.parse_args(argv)
    return run(arguments.root, arguments.timeout, arguments.seed)


if __name__ == "__main__":
    sys.exit(main())
